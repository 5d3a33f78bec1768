package dev.hybrid.cli.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.StackContext;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * SQS's "no such queue" in both spellings: AWS's JSON-protocol {@code QueueDoesNotExist}, and the query-protocol code
 * {@code AWS.SimpleQueueService.NonExistentQueue} that an emulator such as moto puts in {@code X-Amzn-ErrorType}, which
 * the SDK reads before the body and so turns into a plain {@link SqsException}.
 */
class SqsNotFoundTest {
    private static final String QUEUE_URL = "http://127.0.0.1/000000000000/hybrid-s1-response-d1";

    private WireMockServer server;
    private SqsClient sqs;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        sqs = SqsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1))).build();
    }

    @AfterEach
    void stop() {
        sqs.close();
        server.stop();
    }

    private void answer(String action, String errorType, String body) {
        server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSQS." + action))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withHeader("X-Amzn-ErrorType", errorType).withBody(body)));
    }

    private SqsException thrownBy(String action) {
        return assertThrows(SqsException.class, () -> {
            if (action.equals("GetQueueUrl")) {
                sqs.getQueueUrl(b -> b.queueName("hybrid-s1-response-d1"));
            } else {
                sqs.deleteQueue(b -> b.queueUrl(QUEUE_URL));
            }
        });
    }

    @Test
    void theEmulatorsSpellingIsAPlainSqsExceptionThatCountsAsNotFound() {
        answer("GetQueueUrl", "AWS.SimpleQueueService.NonExistentQueue", "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\"}");

        SqsException e = thrownBy("GetQueueUrl");

        assertFalse(e instanceof QueueDoesNotExistException, "the SDK takes the header's code, which it does not model: " + e.getClass());
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", AwsErrors.code(e));
        assertTrue(AwsErrors.isQueueMissing(e));
    }

    @Test
    void awsSpellingIsTheModelledExceptionAndCountsAsNotFound() {
        answer("GetQueueUrl", "QueueDoesNotExist", "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"The specified queue does not exist.\"}");

        SqsException e = thrownBy("GetQueueUrl");

        assertTrue(e instanceof QueueDoesNotExistException, e.getClass().getName());
        assertTrue(AwsErrors.isQueueMissing(e));
    }

    @Test
    void anyOtherErrorIsNotNotFound() {
        answer("GetQueueUrl", "AccessDenied", "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\"}");

        assertFalse(AwsErrors.isQueueMissing(thrownBy("GetQueueUrl")));
    }

    @Test
    void deletingAQueueTheEmulatorDoesNotKnowSucceedsQuietlyAndOtherErrorsGoOn() {
        SqsQueue queue = new SqsQueue(sqs, QueueSpec.response());
        Observed gone = new Observed(QUEUE_URL, "d1", Map.of(), Map.of());
        StackContext context = new StackContext("s1", "d1");
        answer("DeleteQueue", "AWS.SimpleQueueService.NonExistentQueue", "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\"}");

        queue.delete(gone, context);

        server.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSQS.DeleteQueue")));
        server.resetAll();
        answer("DeleteQueue", "AccessDenied", "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\"}");
        assertThrows(SqsException.class, () -> queue.delete(gone, context));
    }
}
