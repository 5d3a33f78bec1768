package dev.hybrid.worker;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.Wire;
import dev.hybrid.localaws.LocalAws;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The emulators with a request queue, a response queue and both buckets, as a worker expects them. */
final class LocalQueues implements AutoCloseable {
    final LocalAws aws = LocalAws.startInMemory();
    final SqsClient sqs;
    final S3Client s3;
    final String requests;
    final String responses;

    LocalQueues(int visibilityTimeoutSeconds) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
        sqs = SqsClient.builder().endpointOverride(aws.sqsEndpoint()).region(Region.of(LocalAws.REGION)).credentialsProvider(credentials)
                .httpClient(ApacheHttpClient.create()).build();
        s3 = S3Client.builder().endpointOverride(aws.s3Endpoint()).region(Region.of(LocalAws.REGION)).forcePathStyle(true)
                .credentialsProvider(credentials).httpClient(ApacheHttpClient.create()).build();
        requests = sqs.createQueue(b -> b.queueName("requests")
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds)))).queueUrl();
        responses = sqs.createQueue(b -> b.queueName("responses")).queueUrl();
        s3.createBucket(b -> b.bucket("input-bucket"));
        s3.createBucket(b -> b.bucket("output-bucket"));
    }

    /** The worker's environment, as the local compute provider passes it. */
    Map<String, String> workerEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("HYBRID_REQUEST_QUEUE_URL", requests);
        env.put("HYBRID_RESPONSE_QUEUE_URL", responses);
        env.put("HYBRID_INPUT_BUCKET", "input-bucket");
        env.put("HYBRID_OUTPUT_BUCKET", "output-bucket");
        env.put("AWS_REGION", LocalAws.REGION);
        env.put("AWS_ENDPOINT_URL_SQS", aws.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", aws.s3Endpoint().toString());
        env.put("HYBRID_S3_PATH_STYLE", "true");
        env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
        return env;
    }

    ClassifyRequest send(String name, byte[] image) {
        var request = new ClassifyRequest(UUID.randomUUID().toString(), name, "sha-" + name, Wire.encodeImage(image), null,
                System.currentTimeMillis());
        sqs.sendMessage(b -> b.queueUrl(requests).messageBody(Wire.toJson(request)));
        return request;
    }

    /** Replies by request id; fails on a request answered twice. */
    Map<String, ClassifyResponse> awaitReplies(int count, Duration timeout) {
        Map<String, ClassifyResponse> replies = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (replies.size() < count && System.nanoTime() < deadline) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(responses).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                ClassifyResponse reply = Wire.response(m.body());
                if (replies.put(reply.requestId(), reply) != null) {
                    throw new AssertionError("a request was answered twice: " + reply.requestId());
                }
                sqs.deleteMessage(b -> b.queueUrl(responses).receiptHandle(m.receiptHandle()));
            }
        }
        return replies;
    }

    int count(String queue, QueueAttributeName attribute) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(attribute)).attributes().get(attribute));
    }

    @Override
    public void close() {
        sqs.close();
        s3.close();
        aws.close();
    }
}
