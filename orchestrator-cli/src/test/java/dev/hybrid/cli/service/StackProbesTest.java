package dev.hybrid.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A queue that cannot be asked is shown as unknown, never as empty. */
class StackProbesTest {
    @Test
    void aQueueThatDoesNotAnswerIsUnknownNotEmpty() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + closedPort);
        try (SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build()) {
            StackProbes.QueueDepth depth = StackProbes.depth(sqs, endpoint + "/000000000000/hybrid-requests");
            StackProbes.QueueDepth deadLetters = StackProbes.depth(sqs, endpoint + "/000000000000/hybrid-dead-letters");
            ObjectNode document = JsonNodeFactory.instance.objectNode();
            StackProbes.putQueues(document, depth, deadLetters);
            assertTrue(document.path("requestQueue").path("visible").isNull(), document.toString());
            assertTrue(document.path("requestQueue").path("inFlight").isNull(), document.toString());
            assertTrue(document.path("requestQueue").path("deadLetters").isNull(), document.toString());
            String line = StackProbes.describeQueues(depth, deadLetters);
            assertTrue(line.startsWith("unknown visible, unknown in flight, unknown dead letters"), line);
        }
    }

    @Test
    void knownCountsAreShownAsTheyAre() {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        StackProbes.putQueues(document, new StackProbes.QueueDepth(3, 1), new StackProbes.QueueDepth(0, 0));
        assertEquals(3, document.path("requestQueue").path("visible").intValue());
        assertEquals(0, document.path("requestQueue").path("deadLetters").intValue());
        assertTrue(document.path("requestQueue").path("deadLetters").isNumber());
        assertEquals("3 visible, 1 in flight, 0 dead letters",
                StackProbes.describeQueues(new StackProbes.QueueDepth(3, 1), new StackProbes.QueueDepth(0, 0)));
    }
}
