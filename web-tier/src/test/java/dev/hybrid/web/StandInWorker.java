package dev.hybrid.web;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.ErrorCode;
import dev.hybrid.contract.Prediction;
import dev.hybrid.contract.Timings;
import dev.hybrid.contract.Wire;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A test double of the app tier, to test the web tier alone: it answers each request with a
 * label derived from the image's hash, or UNDECODABLE_IMAGE for images whose name starts with
 * "bad", IMAGE_TOO_LARGE for "giant", INTERNAL for "crash". The real worker is joined in the end-to-end tests.
 */
final class StandInWorker implements AutoCloseable {
    final ConcurrentLinkedQueue<ClassifyRequest> received = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean paused = new AtomicBoolean();
    private final Thread thread;

    StandInWorker(SqsClient sqs, S3Client s3, String requests, String responses) {
        thread = new Thread(() -> {
            while (running.get()) {
                if (paused.get()) {
                    sleep();
                    continue;
                }
                try {
                    List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(requests).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                    if (paused.get()) {
                        // Paused while this long poll was under way: hand the batch back untouched.
                        batch.forEach(m -> sqs.changeMessageVisibility(b -> b.queueUrl(requests).receiptHandle(m.receiptHandle()).visibilityTimeout(0)));
                        continue;
                    }
                    for (Message m : batch) {
                        ClassifyRequest request = Wire.request(m.body());
                        received.add(request);
                        byte[] image = request.inline() ? Wire.decodeImage(request.imageBase64())
                                : s3.getObjectAsBytes(b -> b.bucket(request.claimCheck().bucket()).key(request.claimCheck().key())).asByteArray();
                        ClassifyResponse reply = request.name().startsWith("bad")
                                ? ClassifyResponse.failure(request, "stand-in", "w", ErrorCode.UNDECODABLE_IMAGE, "broken pixels")
                                : request.name().startsWith("giant")
                                ? ClassifyResponse.failure(request, "stand-in", "w", ErrorCode.IMAGE_TOO_LARGE,
                                        "image is 13000x13000 = 169.0 Mpx; this worker takes at most 4.2 Mpx")
                                : request.name().startsWith("crash")
                                ? ClassifyResponse.failure(request, "stand-in", "w", ErrorCode.INTERNAL, "worker fault")
                                : ClassifyResponse.success(request, List.of(new Prediction(labelOf(image), 0.9)), "stand-in", "w", new Timings(1, 1));
                        sqs.sendMessage(b -> b.queueUrl(responses).messageBody(Wire.toJson(reply)));
                        sqs.deleteMessage(b -> b.queueUrl(requests).receiptHandle(m.receiptHandle()));
                    }
                } catch (RuntimeException e) {
                    if (running.get()) {
                        sleep();
                    }
                }
            }
        }, "stand-in-worker");
        thread.setDaemon(true);
        thread.start();
    }

    static String labelOf(byte[] image) {
        return "label-" + HttpApi.sha256(image).substring(0, 8);
    }

    void pause(boolean on) {
        paused.set(on);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
