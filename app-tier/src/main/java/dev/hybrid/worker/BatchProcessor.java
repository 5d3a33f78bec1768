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
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * One received batch from start to finish, in two stages: {@link #classify} (decode, one forward
 * pass) and {@link #finish} (store in S3, reply, and only then delete the requests), so that a
 * loop can put the next batch through the model while the last one is being stored and answered.
 * A request whose reply could not be sent is left on the queue, so it comes back after the
 * visibility timeout: delivery is at least once, and since keys and replies depend only on the
 * request, a repeat is harmless. One image's failure (its claim check unreadable, the model
 * failing on it, its objects not stored) gives that image an error reply and leaves the rest of
 * the batch alone.
 */
final class BatchProcessor {
    private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

    private final WorkerSettings settings;
    private final WorkerAwsClients aws;
    private final ImageClassifier classifier;
    /** Runs S3 calls of one batch side by side; the calling thread only waits for them. */
    private final ExecutorService io;
    private final AtomicLong imagesDone = new AtomicLong();
    private final AtomicLong malformedDropped = new AtomicLong();

    BatchProcessor(WorkerSettings settings, WorkerAwsClients aws, ImageClassifier classifier, ExecutorService io) {
        this.settings = settings;
        this.aws = aws;
        this.classifier = classifier;
        this.io = io;
    }

    /** A request that parsed, with its bytes once they are fetched. */
    private record Pending(Message message, ClassifyRequest request, byte[] image, ClassifyResponse early) {}

    /** A batch through the model, its replies ready to store, send and delete by {@link #finish}. */
    static final class Classified {
        private final int received;
        private final List<Message> malformed;
        private final List<Pending> pending;
        private final List<ClassifyResponse> replies;
        private final long startedNanos;
        private final long classifiedNanos;

        private Classified(int received, List<Message> malformed, List<Pending> pending, List<ClassifyResponse> replies,
                           long startedNanos, long classifiedNanos) {
            this.received = received;
            this.malformed = malformed;
            this.pending = pending;
            this.replies = replies;
            this.startedNanos = startedNanos;
            this.classifiedNanos = classifiedNanos;
        }
    }

    /** Both stages back to back, on the caller's thread. */
    void process(List<Message> messages, long receivedAtMillis) {
        finish(classify(messages, receivedAtMillis));
    }

    /** Parse, fetch claim-checked bytes (in parallel) and classify in one forward pass. */
    Classified classify(List<Message> messages, long receivedAtMillis) {
        long started = System.nanoTime();
        List<Message> malformed = new ArrayList<>();
        List<Message> parsed = new ArrayList<>();
        List<ClassifyRequest> requests = new ArrayList<>();
        for (Message message : messages) {
            try {
                requests.add(Wire.request(message.body()));
                parsed.add(message);
            } catch (Wire.MalformedMessageException | IllegalArgumentException e) {
                // Nobody waits for a message we cannot read; retrying it would only poison the queue.
                malformedDropped.incrementAndGet();
                log.warn("dropping malformed request message {}: {}", message.messageId(), e.getMessage());
                malformed.add(message);
            }
        }
        List<Pending> pending = allOf(parsed.size(), i -> fetch(parsed.get(i), requests.get(i)), i -> !requests.get(i).inline());
        List<ClassifyResponse> replies = forwardPass(pending, receivedAtMillis);
        return new Classified(messages.size(), malformed, pending, replies, started, System.nanoTime());
    }

    /** Store in S3 (all objects at once), reply, and only then delete; throws when the batch must be redelivered. */
    void finish(Classified batch) {
        long finishStarted = System.nanoTime();
        storeInS3(batch.pending, batch.replies);
        long stored = System.nanoTime();
        List<Message> answered = send(batch.pending, batch.replies);
        long sent = System.nanoTime();
        List<Message> toDelete = new ArrayList<>(batch.malformed);
        toDelete.addAll(answered);
        delete(toDelete);
        imagesDone.addAndGet(answered.size());
        if (log.isDebugEnabled()) {
            log.debug("batch of {}: decode+classify {} ms, then waited {} ms, s3 {} ms, reply {} ms, delete {} ms", batch.received,
                    millis(batch.startedNanos, batch.classifiedNanos), millis(batch.classifiedNanos, finishStarted),
                    millis(finishStarted, stored), millis(stored, sent), millis(sent, System.nanoTime()));
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    /**
     * Results of {@code task} for 0..count-1 in order; those that {@code remote} marks run on the I/O
     * pool at the same time, the rest here. The first failure is rethrown once all have ended.
     */
    private <T> List<T> allOf(int count, IntFunction<T> task, IntPredicate remote) {
        List<Future<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(remote.test(i) && count > 1 ? io.submit(() -> task.apply(index)) : null);
        }
        List<T> results = new ArrayList<>(count);
        RuntimeException failure = null;
        for (int i = 0; i < count; i++) {
            try {
                results.add(futures.get(i) == null ? task.apply(i) : futures.get(i).get());
            } catch (ExecutionException e) {
                failure = failure == null ? unwrap(e) : failure;
                results.add(null);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
                results.add(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? new IllegalStateException("interrupted", e) : failure;
                results.add(null);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    private static RuntimeException unwrap(ExecutionException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
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
        } catch (RuntimeException e) {
            log.warn("request {}: the claim-checked image could not be read: {}", request.requestId(), e.toString());
            return new Pending(message, request, null, internal(request, "the claim-checked image could not be read: " + oneLine(e)));
        }
    }

    private ClassifyResponse internal(ClassifyRequest request, String message) {
        return ClassifyResponse.failure(request, classifier.modelId(), settings.workerId(), ErrorCode.INTERNAL, message);
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private List<ClassifyResponse> forwardPass(List<Pending> pending, long receivedAtMillis) {
        List<byte[]> images = new ArrayList<>();
        for (Pending p : pending) {
            if (p.early() == null) {
                images.add(p.image());
            }
        }
        long started = System.nanoTime();
        List<Object> outcomes = images.isEmpty() ? List.of() : outcomes(images);
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
            Object outcome = outcomes.get(next++);
            ClassifyRequest request = p.request();
            if (outcome instanceof Exception e) {
                replies.add(internal(request, "the model failed on this image: " + oneLine(e)));
            } else if (outcome instanceof Outcome.Labels labels) {
                long queueWait = Math.max(0, receivedAtMillis - request.sentAtMillis());
                replies.add(ClassifyResponse.success(request, labels.top5(), classifier.modelId(), settings.workerId(),
                        new Timings(queueWait, modelMillis)));
            } else if (outcome instanceof Outcome.Undecodable undecodable) {
                replies.add(ClassifyResponse.failure(request, classifier.modelId(), settings.workerId(),
                        ErrorCode.UNDECODABLE_IMAGE, undecodable.message()));
            } else if (outcome instanceof Outcome.TooLarge tooLarge) {
                replies.add(ClassifyResponse.failure(request, classifier.modelId(), settings.workerId(),
                        ErrorCode.IMAGE_TOO_LARGE, tooLarge.message()));
            }
        }
        return replies;
    }

    /**
     * One outcome per image, or the exception the model threw on it: when the batch's call fails, each image is
     * tried again on its own, so that one image the model fails on fails alone.
     */
    private List<Object> outcomes(List<byte[]> images) {
        try {
            return new ArrayList<>(classifier.classify(images));
        } catch (RuntimeException batchFailure) {
            if (images.size() == 1) {
                return List.of(batchFailure);
            }
            log.warn("the model failed on a batch of {} ({}); trying its images one by one", images.size(), oneLine(batchFailure));
            List<Object> outcomes = new ArrayList<>();
            for (byte[] image : images) {
                try {
                    outcomes.add(classifier.classify(List.of(image)).get(0));
                } catch (RuntimeException e) {
                    outcomes.add(e);
                }
            }
            return outcomes;
        }
    }

    /**
     * Every image and label of the batch at once: twenty sequential PUTs took as long as the forward pass. An image
     * whose objects cannot be stored (after the SDK's own retries) gets an error reply instead of its label; the
     * others are not held back. Keys are the request id and a safe form of the name ({@link S3Layout}); the
     * original name goes into the objects' metadata.
     */
    private void storeInS3(List<Pending> pending, List<ClassifyResponse> replies) {
        List<Integer> stored = new ArrayList<>();
        List<Runnable> puts = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            ClassifyResponse reply = replies.get(i);
            if (reply.failed()) {
                continue;
            }
            ClassifyRequest request = p.request();
            Map<String, String> metadata = Map.of(S3Layout.ORIGINAL_NAME_METADATA, S3Layout.metadataName(request.name()));
            stored.add(i);
            puts.add(() -> {
                aws.s3().putObject(b -> b.bucket(settings.inputBucket()).key(S3Layout.inputKey(request.requestId(), request.name()))
                        .metadata(metadata), RequestBody.fromBytes(p.image()));
                aws.s3().putObject(b -> b.bucket(settings.outputBucket()).key(S3Layout.outputKey(request.requestId(), request.name()))
                        .metadata(metadata).contentType("text/plain; charset=utf-8"), RequestBody.fromString(reply.label()));
            });
        }
        List<RuntimeException> failures = eachOf(puts);
        for (int j = 0; j < failures.size(); j++) {
            RuntimeException failure = failures.get(j);
            if (failure != null) {
                int i = stored.get(j);
                ClassifyRequest request = pending.get(i).request();
                log.warn("request {}: image or label not stored: {}", request.requestId(), failure.toString());
                replies.set(i, internal(request, "the image or its label could not be stored: " + oneLine(failure)));
            }
        }
    }

    /** Runs every task on the I/O pool at once; the failure of each, null where it succeeded. */
    private List<RuntimeException> eachOf(List<Runnable> tasks) {
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable task : tasks) {
            futures.add(io.submit(task));
        }
        List<RuntimeException> failures = new ArrayList<>();
        for (Future<?> future : futures) {
            try {
                future.get();
                failures.add(null);
            } catch (ExecutionException e) {
                failures.add(unwrap(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new IllegalStateException("interrupted", e));
            }
        }
        return failures;
    }

    /** Sends the replies, ten to a call; returns the requests whose reply is on its way. */
    private List<Message> send(List<Pending> pending, List<ClassifyResponse> replies) {
        List<Message> answered = new ArrayList<>();
        for (int from = 0; from < pending.size(); from += 10) {
            int to = Math.min(pending.size(), from + 10);
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < to; i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(Wire.toJson(replies.get(i).withEngine(classifier.engine()))).build());
            }
            SendMessageBatchResponse response = aws.sqs().sendMessageBatch(b -> b.queueUrl(settings.responseQueueUrl()).entries(entries));
            response.successful().forEach(ok -> answered.add(pending.get(Integer.parseInt(ok.id())).message()));
            response.failed().forEach(failed -> {
                int i = Integer.parseInt(failed.id());
                try {
                    aws.sqs().sendMessage(b -> b.queueUrl(settings.responseQueueUrl()).messageBody(Wire.toJson(replies.get(i).withEngine(classifier.engine()))));
                    answered.add(pending.get(i).message());
                } catch (RuntimeException e) {
                    log.warn("reply for request {} not sent ({}); the request stays queued and will be retried",
                            pending.get(i).request().requestId(), e.getMessage());
                }
            });
        }
        return answered;
    }

    /**
     * The receive count SQS reported for a message; 1 when it did not say. A message received more than once was in
     * a batch that failed, or with a worker that died.
     */
    static int receiveCount(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * Error replies for the requests of a failed batch that were on their last delivery: the queue moves them to
     * the dead-letter queue at the next receive, and without a reply their clients would wait for the deadline. The
     * messages are left where they are, so the dead-letter queue still gets them for inspection.
     */
    void answerLastDeliveries(List<Message> messages, Throwable error, int maxReceives) {
        List<Pending> last = new ArrayList<>();
        List<ClassifyResponse> replies = new ArrayList<>();
        for (Message message : messages) {
            if (receiveCount(message) < maxReceives) {
                continue;
            }
            ClassifyRequest request;
            try {
                request = Wire.request(message.body());
            } catch (RuntimeException malformed) {
                continue;
            }
            last.add(new Pending(message, request, null, null));
            replies.add(internal(request, "failed on each of its " + maxReceives + " deliveries, the last time with: " + oneLine(error)
                    + "; it goes to the dead-letter queue"));
        }
        if (last.isEmpty()) {
            return;
        }
        try {
            List<Message> answered = send(last, replies);
            log.warn("{} request(s) failed on their last delivery: answered with an error, left for the dead-letter queue", answered.size());
        } catch (RuntimeException e) {
            log.warn("{} request(s) failed on their last delivery and could not be answered either: {}", last.size(), e.toString());
        }
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
