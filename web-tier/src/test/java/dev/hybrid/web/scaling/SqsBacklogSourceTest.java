package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hybrid.localaws.LocalAws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Against ElasticMQ on loopback. */
class SqsBacklogSourceTest {
    private static LocalAws aws;
    private static SqsClient sqs;

    @BeforeAll
    static void startSqs() {
        aws = LocalAws.startInMemory();
        sqs = SqsClient.builder()
                .endpointOverride(aws.sqsEndpoint())
                .region(Region.of(LocalAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        aws.close();
    }

    @Test
    void readsVisibleAndInFlightMessages() {
        String queueUrl = sqs.createQueue(b -> b.queueName("backlog-test")).queueUrl();
        SqsBacklogSource backlog = new SqsBacklogSource(sqs, queueUrl);
        assertEquals(Backlog.EMPTY, backlog.read());

        for (int i = 0; i < 3; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("request " + n));
        }
        assertEquals(new Backlog(3, 0), backlog.read());

        int received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1).visibilityTimeout(60))
                .messages().size();
        assertEquals(1, received);
        assertEquals(new Backlog(2, 1), backlog.read());
    }
}
