package dev.hybrid.web;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.localaws.LocalAws;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class RequestSenderTest {
    private LocalAws aws;
    private SqsClient sqs;
    private String queue;
    /** Tasks the sender asked to run, run only when the test says: that makes the batching deterministic. */
    private final List<Runnable> parked = new ArrayList<>();

    @BeforeEach
    void start() {
        aws = LocalAws.startInMemory();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
        sqs = SqsClient.builder().endpointOverride(aws.sqsEndpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(ApacheHttpClient.create()).build();
        queue = sqs.createQueue(b -> b.queueName("requests")).queueUrl();
    }

    @AfterEach
    void stop() {
        sqs.close();
        aws.close();
    }

    private Set<String> drainQueue(int expected) {
        Set<String> bodies = new HashSet<>();
        for (int tries = 0; bodies.size() < expected && tries < 100; tries++) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                assertTrue(bodies.add(m.body()), "sent once: " + m.body());
                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        }
        return bodies;
    }

    @Test
    void messagesWaitingForASenderLeaveTenToACall() {
        RequestSender sender = new RequestSender(sqs, queue, parked::add, 1);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        Set<String> bodies = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            String body = "{\"n\":" + i + "}";
            bodies.add(body);
            sent.add(sender.send(body));
        }
        assertEquals(1, parked.size(), "one sender for the whole burst");
        parked.remove(0).run();
        sent.forEach(CompletableFuture::join);
        assertEquals(3, sender.calls(), "25 messages in calls of 10, 10 and 5");
        assertEquals(bodies, drainQueue(25));

        // Once idle, a lone message goes out on its own, at once.
        CompletableFuture<Void> lone = sender.send("{\"n\":\"lone\"}");
        assertEquals(1, parked.size());
        parked.remove(0).run();
        lone.join();
        assertEquals(4, sender.calls());
        assertEquals(Set.of("{\"n\":\"lone\"}"), drainQueue(1));
    }

    @Test
    void aBatchStaysWithinTheQueuesSizeLimit() {
        RequestSender sender = new RequestSender(sqs, queue, parked::add, 1);
        // Three bodies of 100 KiB: two fit in 256 KiB, the third goes in the next call.
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(sender.send(Integer.toString(i).repeat(100 * 1024)));
        }
        parked.remove(0).run();
        sent.forEach(CompletableFuture::join);
        assertEquals(2, sender.calls());
        assertEquals(3, drainQueue(3).size());
    }

    @Test
    void aFailedCallFailsEveryMessageInIt() {
        RequestSender sender = new RequestSender(sqs, queue.replace("/requests", "/missing"), parked::add, 1);
        CompletableFuture<Void> first = sender.send("{\"n\":1}");
        CompletableFuture<Void> second = sender.send("{\"n\":2}");
        parked.remove(0).run();
        assertThrows(CompletionException.class, first::join);
        assertThrows(CompletionException.class, second::join);
        assertEquals(1, sender.calls());
    }

    @Test
    void concurrentSendsAllArriveOnceWithSeveralSenders() throws InterruptedException {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            RequestSender sender = new RequestSender(sqs, queue, pool, 3);
            List<CompletableFuture<Void>> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 10; t++) {
                int base = t * 10;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 10; i++) {
                        sent.add(sender.send("{\"n\":" + (base + i) + "}"));
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            sent.forEach(CompletableFuture::join);
            assertEquals(100, drainQueue(100).size());
            assertTrue(sender.calls() <= 100, "never more calls than messages");
        } finally {
            pool.shutdownNow();
        }
    }
}
