package dev.hybrid.localaws;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

class LocalAwsTest {
    private static final StaticCredentialsProvider CREDS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));

    @Test
    void realSdkClientsTalkToBothEmulators() {
        try (LocalAws aws = LocalAws.startInMemory();
             SqsClient sqs = SqsClient.builder().endpointOverride(aws.sqsEndpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(CREDS).httpClient(UrlConnectionHttpClient.create()).build();
             S3Client s3 = S3Client.builder().endpointOverride(aws.s3Endpoint()).region(Region.US_EAST_1)
                     .forcePathStyle(true).credentialsProvider(CREDS).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertEquals("127.0.0.1", aws.sqsEndpoint().getHost());
            String url = sqs.createQueue(b -> b.queueName("q")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
            assertEquals("hello", sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().get(0).body());

            s3.createBucket(b -> b.bucket("bucket-a"));
            s3.putObject(b -> b.bucket("bucket-a").key("k"), RequestBody.fromString("v"));
            assertEquals("v", s3.getObjectAsBytes(b -> b.bucket("bucket-a").key("k")).asUtf8String());
        }
    }

    @Test
    void onDiskS3KeepsObjectsAcrossRestarts(@TempDir Path dir) {
        for (int round = 0; round < 2; round++) {
            try (LocalAws aws = LocalAws.startOnDisk(dir, 0, 0);
                 S3Client s3 = S3Client.builder().endpointOverride(aws.s3Endpoint()).region(Region.US_EAST_1)
                         .forcePathStyle(true).credentialsProvider(CREDS).httpClient(UrlConnectionHttpClient.create()).build()) {
                if (round == 0) {
                    s3.createBucket(b -> b.bucket("kept"));
                    s3.putObject(b -> b.bucket("kept").key("k"), RequestBody.fromString("survives"));
                } else {
                    assertEquals("survives", s3.getObjectAsBytes(b -> b.bucket("kept").key("k")).asUtf8String());
                }
            }
        }
    }

    @Test
    void wrongCredentialsAreRefused() {
        try (LocalAws aws = LocalAws.startInMemory();
             S3Client s3 = S3Client.builder().endpointOverride(aws.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class, () -> s3.createBucket(b -> b.bucket("nope")));
        }
    }
}
