package dev.hybrid.worker;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.ErrorCode;
import dev.hybrid.contract.S3Ref;
import dev.hybrid.contract.S3Layout;
import dev.hybrid.contract.Wire;
import dev.hybrid.localaws.LocalAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class WorkerTest {
    private LocalAws aws;
    private SqsClient sqs;
    private S3Client s3;
    private String requests;
    private String responses;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void start() {
        aws = LocalAws.startInMemory();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
        sqs = SqsClient.builder().endpointOverride(aws.sqsEndpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(ApacheHttpClient.create()).build();
        s3 = S3Client.builder().endpointOverride(aws.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials).httpClient(ApacheHttpClient.create()).build();
        requests = sqs.createQueue(b -> b.queueName("requests").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2"))).queueUrl();
        responses = sqs.createQueue(b -> b.queueName("responses")).queueUrl();
        s3.createBucket(b -> b.bucket("input-bucket"));
        s3.createBucket(b -> b.bucket("output-bucket"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Worker worker : workers) {
            worker.stop(Duration.ofSeconds(10));
            worker.close();
        }
        sqs.close();
        s3.close();
        aws.close();
    }

    private Worker worker(StandInClassifier classifier, int threads, Duration idleExit) {
        var settings = new WorkerSettings(requests, responses, "input-bucket", "output-bucket", LocalAws.REGION, aws.sqsEndpoint(), aws.s3Endpoint(),
                true, threads, 10, 1, idleExit, null, "w-test");
        // The worker signs with the environment's credentials in production; tests name the emulator's.
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
        Worker worker = new Worker(settings, WorkerAwsClients.create(settings), classifier).start();
        workers.add(worker);
        return worker;
    }

    private ClassifyRequest send(String name, byte[] image) {
        var request = new ClassifyRequest(UUID.randomUUID().toString(), name, "sha-" + name, Wire.encodeImage(image), null,
                System.currentTimeMillis());
        sqs.sendMessage(b -> b.queueUrl(requests).messageBody(Wire.toJson(request)));
        return request;
    }

    private Map<String, ClassifyResponse> awaitReplies(int count, Duration timeout) {
        Map<String, ClassifyResponse> replies = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (replies.size() < count && System.nanoTime() < deadline) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(responses).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                ClassifyResponse reply = Wire.response(m.body());
                assertNull(replies.put(reply.requestId(), reply), "a request was answered twice: " + reply.requestId());
                sqs.deleteMessage(b -> b.queueUrl(responses).receiptHandle(m.receiptHandle()));
            }
        }
        return replies;
    }

    private int messages(String queue, QueueAttributeName attribute) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(attribute)).attributes().get(attribute));
    }

    @Test
    void answersInlineAndClaimCheckedRequestsAndStoresTheCourseLayout() {
        worker(new StandInClassifier(Duration.ZERO), 2, Duration.ZERO);
        List<ClassifyRequest> sent = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            sent.add(send("test_" + i + ".png", StandInClassifier.fakePng(100 + i)));
        }
        byte[] big = StandInClassifier.fakePng(300_000);
        s3.putObject(b -> b.bucket("input-bucket").key(S3Layout.claimCheckKey("big-id")), RequestBody.fromBytes(big));
        var claimChecked = new ClassifyRequest("big-id", "big.png", "sha-big", null, new S3Ref("input-bucket", S3Layout.claimCheckKey("big-id")),
                System.currentTimeMillis());
        sqs.sendMessage(b -> b.queueUrl(requests).messageBody(Wire.toJson(claimChecked)));
        sent.add(claimChecked);

        Map<String, ClassifyResponse> replies = awaitReplies(sent.size(), Duration.ofSeconds(30));
        assertEquals(sent.size(), replies.size());
        for (int i = 0; i < 15; i++) {
            ClassifyRequest request = sent.get(i);
            ClassifyResponse reply = replies.get(request.requestId());
            assertEquals("label-" + (100 + i), reply.label());
            assertEquals(request.name(), reply.name());
            assertEquals("w-test", reply.workerId());
            assertEquals("stand-in", reply.modelId());
            assertEquals(2, reply.top5().size());
            assertNotNull(reply.timings());
            String labelKey = request.requestId() + "/test_" + i;
            assertEquals("label-" + (100 + i), s3.getObjectAsBytes(b -> b.bucket("output-bucket").key(labelKey)).asUtf8String());
            String imageKey = request.requestId() + "/" + request.name();
            assertEquals(100 + i, s3.getObjectAsBytes(b -> b.bucket("input-bucket").key(imageKey)).asByteArray().length);
        }
        assertEquals("label-300000", replies.get("big-id").label());
        assertEquals("label-300000", s3.getObjectAsBytes(b -> b.bucket("output-bucket").key("big-id/big")).asUtf8String());
        assertEquals(0, messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals(0, messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The request queue's redrive policy as the stack sets it, to a dead-letter queue of the test's own. */
    private String deadLetters(int maxReceiveCount) {
        String dlq = sqs.createQueue(b -> b.queueName("requests-dlq")).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sqs.setQueueAttributes(b -> b.queueUrl(requests).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}")));
        return dlq;
    }

    @Test
    void hostileFileNamesAreStoredUnderSafeKeysAndLoseNoOtherRequest() {
        String dlq = deadLetters(5);
        List<ClassifyRequest> sent = new ArrayList<>();
        List<String> hostile = List.of("nul\0byte.png", "../../x.jpg", "a".repeat(5000) + ".png");
        for (String name : hostile) {
            sent.add(send(name, StandInClassifier.fakePng(500 + sent.size())));
        }
        for (int i = 0; i < 9; i++) {
            sent.add(send("good_" + i + ".png", StandInClassifier.fakePng(600 + i)));
        }
        worker(new StandInClassifier(Duration.ZERO), 1, Duration.ZERO);
        Map<String, ClassifyResponse> replies = awaitReplies(sent.size(), Duration.ofSeconds(40));
        int lost = messages(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        System.out.printf("hostile names: %d of %d requests answered, %d in the dead-letter queue%n", replies.size(), sent.size(), lost);
        assertEquals(sent.size(), replies.size(), "every request answered");
        assertEquals(0, lost);
        for (ClassifyRequest request : sent) {
            ClassifyResponse reply = replies.get(request.requestId());
            assertNull(reply.error(), () -> request.name().length() + " characters: " + reply.error());
            assertEquals(request.name(), reply.name(), "the original name in the reply");
            var image = s3.getObject(b -> b.bucket("input-bucket").key(S3Layout.inputKey(request.requestId(), request.name())));
            assertEquals(S3Layout.metadataName(request.name()), image.response().metadata().get(S3Layout.ORIGINAL_NAME_METADATA));
            assertEquals(reply.label(), s3.getObjectAsBytes(b -> b.bucket("output-bucket")
                    .key(S3Layout.outputKey(request.requestId(), request.name()))).asUtf8String());
        }
        assertEquals(sent.get(0).requestId() + "/nul_byte.png", S3Layout.inputKey(sent.get(0).requestId(), sent.get(0).name()));
        assertEquals(sent.get(1).requestId() + "/x", S3Layout.outputKey(sent.get(1).requestId(), sent.get(1).name()));
    }

    @Test
    void anImageTheModelFailsOnFailsAloneAndTheRestOfItsBatchIsAnswered() throws InterruptedException {
        List<ClassifyRequest> sent = new ArrayList<>();
        ClassifyRequest failing = send("fails.png", StandInClassifier.fakePng(700, StandInClassifier.MODEL_FAILURE));
        for (int i = 0; i < 9; i++) {
            sent.add(send("good_" + i + ".png", StandInClassifier.fakePng(800 + i)));
        }
        Worker worker = worker(new StandInClassifier(Duration.ZERO), 1, Duration.ZERO);
        Map<String, ClassifyResponse> replies = awaitReplies(10, Duration.ofSeconds(20));
        assertEquals(10, replies.size());
        assertEquals(ErrorCode.INTERNAL, replies.get(failing.requestId()).error().code());
        assertTrue(replies.get(failing.requestId()).error().message().contains("stand-in model failure"),
                replies.get(failing.requestId()).error().message());
        for (ClassifyRequest request : sent) {
            assertEquals(StandInClassifier.labelFor(StandInClassifier.fakePng(800 + sent.indexOf(request))),
                    replies.get(request.requestId()).label());
        }
        Thread.sleep(3000); // more than the 2 s visibility timeout: nothing comes back
        assertTrue(awaitReplies(1, Duration.ofSeconds(1)).isEmpty(), "answered once, not redelivered");
        assertEquals(0, messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        assertEquals(10, worker.imagesDone());
    }

    @Test
    void aRequestThatFailsOnItsLastDeliveryIsAnsweredBeforeItGoesToTheDeadLetters() {
        String dlq = deadLetters(2);
        ClassifyRequest crashing = send("crash.png", StandInClassifier.fakePng(900, StandInClassifier.FATAL));
        List<ClassifyRequest> good = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            good.add(send("good_" + i + ".png", StandInClassifier.fakePng(910 + i)));
        }
        worker(new StandInClassifier(Duration.ZERO), 1, Duration.ZERO);
        // The first batch of four fails as a whole; redelivered, each goes alone: the good ones are answered, the
        // crashing one, on its last delivery, gets an error reply.
        Map<String, ClassifyResponse> replies = awaitReplies(4, Duration.ofSeconds(30));
        assertEquals(4, replies.size(), replies::toString);
        for (ClassifyRequest request : good) {
            assertNull(replies.get(request.requestId()).error(), request.name());
        }
        ClassifyResponse error = replies.get(crashing.requestId());
        assertEquals(ErrorCode.INTERNAL, error.error().code());
        assertTrue(error.error().message().contains("dead-letter queue"), error.error().message());
        long deadline = System.currentTimeMillis() + 20_000;
        while (messages(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0 && System.currentTimeMillis() < deadline) {
            awaitReplies(1, Duration.ofSeconds(1)).forEach((id, reply) -> fail("answered again: " + reply));
        }
        assertEquals(1, messages(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), "kept in the dead-letter queue");
    }

    @Test
    void aRequestWhoseReplyCannotBeSentStaysQueuedUntilItIsAnswered() throws InterruptedException {
        String later = responses.replace("/responses", "/responses-later");
        var settings = new WorkerSettings(requests, later, "input-bucket", "output-bucket", LocalAws.REGION, aws.sqsEndpoint(), aws.s3Endpoint(),
                true, 1, 10, 1, Duration.ZERO, null, "w-retry");
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
        Worker worker = new Worker(settings, WorkerAwsClients.create(settings), new StandInClassifier(Duration.ZERO)).start();
        workers.add(worker);
        ClassifyRequest request = send("retry.png", StandInClassifier.fakePng(21));
        Thread.sleep(5000);
        assertEquals(0, worker.imagesDone());
        assertEquals(1, messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), "not deleted without a reply");

        assertEquals(later, sqs.createQueue(b -> b.queueName("responses-later")).queueUrl());
        long deadline = System.currentTimeMillis() + 20_000;
        ClassifyResponse reply = null;
        while (reply == null && System.currentTimeMillis() < deadline) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(later).waitTimeSeconds(1)).messages()) {
                reply = Wire.response(m.body());
            }
        }
        assertNotNull(reply, "answered once the response queue exists");
        assertEquals(request.requestId(), reply.requestId());
        assertEquals("label-21", reply.label());
    }

    @Test
    void undecodableAndMissingClaimCheckGetErrorRepliesNotRetries() {
        worker(new StandInClassifier(Duration.ZERO), 1, Duration.ZERO);
        ClassifyRequest junk = send("junk.png", "this is text".getBytes());
        var missing = new ClassifyRequest("gone", "gone.png", "sha", null, new S3Ref("input-bucket", "claim-check/gone"), System.currentTimeMillis());
        sqs.sendMessage(b -> b.queueUrl(requests).messageBody(Wire.toJson(missing)));

        var badBase64 = new ClassifyRequest("bad-base64", "b.png", "sha", "***not base64***", null, System.currentTimeMillis());
        sqs.sendMessage(b -> b.queueUrl(requests).messageBody(Wire.toJson(badBase64)));

        Map<String, ClassifyResponse> replies = awaitReplies(3, Duration.ofSeconds(20));
        assertEquals(ErrorCode.UNDECODABLE_IMAGE, replies.get(junk.requestId()).error().code());
        assertEquals(ErrorCode.UNDECODABLE_IMAGE, replies.get("bad-base64").error().code());
        assertEquals(ErrorCode.IMAGE_NOT_FOUND, replies.get("gone").error().code());
        assertTrue(replies.get("gone").error().message().contains("claim-check/gone"));
        // Nothing is redelivered: after two visibility timeouts there are still only those two replies.
        assertTrue(awaitReplies(1, Duration.ofSeconds(5)).isEmpty());
        assertEquals(0, messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void malformedMessagesAreDroppedOnceNotRedeliveredForever() throws InterruptedException {
        Worker worker = worker(new StandInClassifier(Duration.ZERO), 1, Duration.ZERO);
        sqs.sendMessage(b -> b.queueUrl(requests).messageBody("{not json"));
        sqs.sendMessage(b -> b.queueUrl(requests).messageBody("{\"requestId\":\"x\"}"));
        ClassifyRequest good = send("ok.png", StandInClassifier.fakePng(10));
        assertEquals("label-10", awaitReplies(1, Duration.ofSeconds(20)).get(good.requestId()).label());
        Thread.sleep(3000);
        assertEquals(2, worker.malformedDropped());
        assertEquals(0, messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void heartbeatKeepsASlowBatchFromBeingHandedOutTwice() {
        // Visibility timeout 2 s, forward pass 6 s: without the heartbeat the second worker would take the request too.
        StandInClassifier slow = new StandInClassifier(Duration.ofSeconds(6));
        StandInClassifier other = new StandInClassifier(Duration.ZERO);
        worker(slow, 1, Duration.ZERO);
        ClassifyRequest request = send("slow.png", StandInClassifier.fakePng(42));
        long deadline = System.currentTimeMillis() + 5000;
        while (slow.forwardPasses.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        worker(other, 1, Duration.ZERO);
        Map<String, ClassifyResponse> replies = awaitReplies(2, Duration.ofSeconds(15));
        assertEquals(1, replies.size(), "exactly one reply");
        assertEquals("label-42", replies.get(request.requestId()).label());
        assertEquals(0, other.forwardPasses.get(), "the second worker never got the request");
    }

    @Test
    void stopFinishesTheBatchInHandThenExits() throws InterruptedException {
        StandInClassifier slow = new StandInClassifier(Duration.ofSeconds(3));
        Worker worker = worker(slow, 1, Duration.ZERO);
        ClassifyRequest request = send("inflight.png", StandInClassifier.fakePng(7));
        long deadline = System.currentTimeMillis() + 5000;
        while (slow.forwardPasses.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(worker.stop(Duration.ofSeconds(20)), "stopped within the grace period");
        assertEquals(1, worker.imagesDone());
        assertEquals("label-7", awaitReplies(1, Duration.ofSeconds(5)).get(request.requestId()).label());
        assertEquals(0, messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void stopWaitsForTheOpenLongPollAndHandsBackWhatItBrings() throws Exception {
        // A long timeout, so that only the hand-back can make the late request visible again soon.
        sqs.setQueueAttributes(b -> b.queueUrl(requests).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")));
        var settings = new WorkerSettings(requests, responses, "input-bucket", "output-bucket", LocalAws.REGION, aws.sqsEndpoint(), aws.s3Endpoint(),
                true, 2, 10, 20, Duration.ZERO, null, "w-long-poll");
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
        try (Worker worker = new Worker(settings, WorkerAwsClients.create(settings), new StandInClassifier(Duration.ZERO)).start()) {
            Thread.sleep(500);
            var stopped = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return worker.stop(Duration.ofSeconds(25));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // A request that arrives after the stop, while the polls are still open, is taken by one of them and
            // handed back before stop returns, not held for the visibility timeout.
            Thread.sleep(1000);
            ClassifyRequest late = send("late.png", StandInClassifier.fakePng(9));
            assertTrue(stopped.get(30, java.util.concurrent.TimeUnit.SECONDS), "the polls ended within the grace");
            assertEquals(0, worker.imagesDone());
            assertEquals(1, messages(requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), "handed back, visible again");
            worker(new StandInClassifier(Duration.ZERO), 1, Duration.ZERO);
            assertEquals("label-9", awaitReplies(1, Duration.ofSeconds(10)).get(late.requestId()).label());
        }
    }

    @Test
    void idleExitEndsTheLoopsAfterTheIdlePeriod() throws InterruptedException {
        Worker worker = worker(new StandInClassifier(Duration.ZERO), 2, Duration.ofSeconds(4));
        ClassifyRequest request = send("one.png", StandInClassifier.fakePng(5));
        assertEquals(1, awaitReplies(1, Duration.ofSeconds(10)).size(), request.requestId());
        Thread.sleep(1000);
        assertEquals(2, worker.loopsRunning(), "a request restarts the idle period");
        Thread waiter = new Thread(() -> {
            try {
                worker.awaitFinished();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiter.join(15_000);
        assertFalse(waiter.isAlive(), "the worker exited after 2 s without requests");
    }
}
