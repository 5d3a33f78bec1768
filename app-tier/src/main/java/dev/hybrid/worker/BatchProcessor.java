package dev.hybrid.worker;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.ErrorCode;
import dev.hybrid.contract.S3Layout;
import dev.hybrid.contract.Timings;
import dev.hybrid.contract.Wire;
import dev.hybrid.worker.model.ImageClassifier;
import dev.hybrid.worker.model.ImageClassifier.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * One received batch from start to finish: decode, classify in one forward pass, store in S3,
 * reply, and only then delete the requests. A request whose reply could not be sent is left on the
 * queue, so it comes back after the visibility timeout: delivery is at least once, and since keys
 * and replies depend only on the request, a repeat is harmless.
 */
final class BatchProcessor {
    private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

    private final WorkerSettings settings;
    private final AwsClients aws;
    private final ImageClassifier classifier;
    private final AtomicLong imagesDone = new AtomicLong();
    private final AtomicLong malformedDropped = new AtomicLong();

    BatchProcessor(WorkerSettings settings, AwsClients aws, ImageClassifier classifier) {
        this.settings = settings;
        this.aws = aws;
        this.classifier = classifier;
    }

    /** A request that parsed, with its bytes once they are fetched. */
    private record Pending(Message message, ClassifyRequest request, byte[] image, ClassifyResponse early) {}

    void process(List<Message> messages, long receivedAtMillis) {
        List<Message> toDelete = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        for (Message message : messages) {
            try {
                ClassifyRequest request = Wire.request(message.body());
                pending.add(fetch(message, request));
            } catch (Wire.MalformedMessageException | IllegalArgumentException e) {
                // Nobody waits for a message we cannot read; retrying it would only poison the queue.
                malformedDropped.incrementAndGet();
                log.warn("dropping malformed request message {}: {}", message.messageId(), e.getMessage());
                toDelete.add(message);
            }
        }

        List<ClassifyResponse> replies = classify(pending, receivedAtMillis);
        storeInS3(pending, replies);
        List<Message> answered = send(pending, replies);
        toDelete.addAll(answered);
        delete(toDelete);
        imagesDone.addAndGet(answered.size());
    }

    private Pending fetch(Message message, ClassifyRequest request) {
        if (request.inline()) {
            try {
                return new Pending(message, request, Wire.decodeImage(request.imageBase64()), null);
            } catch (IllegalArgumentException e) {
                return new Pending(message, request, null, ClassifyResponse.failure(request, classifier.modelId(), settings.workerId(),
                        ErrorCode.UNDECODABLE_IMAGE, "imageBase64 is not valid base64: " + e.getMessage()));
            }
        }
        try {
            byte[] bytes = aws.s3().getObjectAsBytes(b -> b.bucket(request.claimCheck().bucket()).key(request.claimCheck().key()))
                    .asByteArray();
            return new Pending(message, request, bytes, null);
        } catch (NoSuchKeyException e) {
            return new Pending(message, request, null, ClassifyResponse.failure(request, classifier.modelId(), settings.workerId(),
                    ErrorCode.IMAGE_NOT_FOUND, "the claim-checked image s3://" + request.claimCheck().bucket() + "/"
                            + request.claimCheck().key() + " does not exist"));
        }
    }

    private List<ClassifyResponse> classify(List<Pending> pending, long receivedAtMillis) {
        List<byte[]> images = new ArrayList<>();
        for (Pending p : pending) {
            if (p.early() == null) {
                images.add(p.image());
            }
        }
        long started = System.nanoTime();
        List<Outcome> outcomes = images.isEmpty() ? List.of() : classifier.classify(images);
        long batchMillis = (System.nanoTime() - started) / 1_000_000;
        // Each image is charged its share of the batch's forward pass.
        long modelMillis = images.isEmpty() ? 0 : batchMillis / images.size();

        List<ClassifyResponse> replies = new ArrayList<>();
        int next = 0;
        for (Pending p : pending) {
            if (p.early() != null) {
                replies.add(p.early());
                continue;
            }
            Outcome outcome = outcomes.get(next++);
            ClassifyRequest request = p.request();
            if (outcome instanceof Outcome.Labels labels) {
                long queueWait = Math.max(0, receivedAtMillis - request.sentAtMillis());
                replies.add(ClassifyResponse.success(request, labels.top5(), classifier.modelId(), settings.workerId(),
                        new Timings(queueWait, modelMillis)));
            } else if (outcome instanceof Outcome.Undecodable undecodable) {
                replies.add(ClassifyResponse.failure(request, classifier.modelId(), settings.workerId(),
                        ErrorCode.UNDECODABLE_IMAGE, undecodable.message()));
            }
        }
        return replies;
    }

    private void storeInS3(List<Pending> pending, List<ClassifyResponse> replies) {
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            ClassifyResponse reply = replies.get(i);
            if (reply.failed()) {
                continue;
            }
            String name = p.request().name();
            aws.s3().putObject(b -> b.bucket(settings.inputBucket()).key(S3Layout.inputKey(name)), RequestBody.fromBytes(p.image()));
            aws.s3().putObject(b -> b.bucket(settings.outputBucket()).key(S3Layout.outputKey(name)).contentType("text/plain; charset=utf-8"),
                    RequestBody.fromString(reply.label()));
        }
    }

    /** Sends the replies, ten to a call; returns the requests whose reply is on its way. */
    private List<Message> send(List<Pending> pending, List<ClassifyResponse> replies) {
        List<Message> answered = new ArrayList<>();
        for (int from = 0; from < pending.size(); from += 10) {
            int to = Math.min(pending.size(), from + 10);
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < to; i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(Wire.toJson(replies.get(i))).build());
            }
            SendMessageBatchResponse response = aws.sqs().sendMessageBatch(b -> b.queueUrl(settings.responseQueueUrl()).entries(entries));
            response.successful().forEach(ok -> answered.add(pending.get(Integer.parseInt(ok.id())).message()));
            response.failed().forEach(failed -> {
                int i = Integer.parseInt(failed.id());
                try {
                    aws.sqs().sendMessage(b -> b.queueUrl(settings.responseQueueUrl()).messageBody(Wire.toJson(replies.get(i))));
                    answered.add(pending.get(i).message());
                } catch (RuntimeException e) {
                    log.warn("reply for request {} not sent ({}); the request stays queued and will be retried",
                            pending.get(i).request().requestId(), e.getMessage());
                }
            });
        }
        return answered;
    }

    private void delete(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(messages.size(), from + 10); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(messages.get(i).receiptHandle()).build());
            }
            var response = aws.sqs().deleteMessageBatch(b -> b.queueUrl(settings.requestQueueUrl()).entries(entries));
            response.failed().forEach(failed -> log.warn("request message not deleted ({}): it will be delivered again and answered again",
                    failed.message()));
        }
    }

    long imagesDone() {
        return imagesDone.get();
    }

    long malformedDropped() {
        return malformedDropped.get();
    }
}
