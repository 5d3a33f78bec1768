package dev.hybrid.web;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.S3Layout;
import dev.hybrid.contract.S3Ref;
import dev.hybrid.contract.Wire;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Turns uploads into queue messages and replies back into answers. No thread waits for a
 * reply: each upload is a future that the reply pollers complete. Identical images in flight
 * share one message (single flight, by content hash), and answers are cached by content hash.
 */
final class RequestBroker {
    private final WebConfig config;
    private final S3Client s3;
    private final ResultCache cache;
    private final Metrics metrics;
    private final ExecutorService io;
    private final RequestSender sender;
    /** Request id → the shared future of everyone waiting on that message. */
    private final Map<String, CompletableFuture<ClassifyResponse>> byRequestId = new ConcurrentHashMap<>();
    /** Content hash → the same futures, for single flight. */
    private final Map<String, CompletableFuture<ClassifyResponse>> bySha = new ConcurrentHashMap<>();
    /** HTTP uploads accepted and not yet answered: the autoscaler counts them as demand. */
    private final AtomicInteger pendingUploads = new AtomicInteger();
    private volatile String lastModelId;
    private volatile String lastEngine;

    RequestBroker(WebConfig config, SqsClient sqs, S3Client s3, ResultCache cache, Metrics metrics, ExecutorService io) {
        this.config = config;
        this.s3 = s3;
        this.cache = cache;
        this.metrics = metrics;
        this.io = io;
        // A few senders at once: enough to overlap calls, few enough that a burst shares calls.
        this.sender = new RequestSender(sqs, config.requestQueueUrl(), io, 4);
    }

    int pendingUploads() {
        return pendingUploads.get();
    }

    int messagesInFlight() {
        return byRequestId.size();
    }

    String lastModelId() {
        return lastModelId;
    }

    /** The engine check the last reply that carried one reported ({@code ClassifyResponse.ENGINE_*}); null before. */
    String lastEngine() {
        return lastEngine;
    }

    /**
     * Admits an upload or refuses it at once with 503 when too many are pending. {@code imageReleased}
     * runs once nothing here holds {@code image} any more: at once for a cached or shared answer, else when its message has been
     * sent (or could not be). The caller's memory budget for the upload ends there, not at the reply.
     */
    CompletableFuture<Outcome> submit(String name, byte[] image, String sha256, Runnable imageReleased) {
        if (pendingUploads.incrementAndGet() > config.maxPending()) {
            pendingUploads.decrementAndGet();
            throw new Rejection(503, "too many requests pending (" + config.maxPending() + "); try again shortly", "5");
        }
        CompletableFuture<Outcome> answer = cache.inMemory(sha256).map(r -> {
            metrics.cacheLookup(true);
            imageReleased.run();
            return CompletableFuture.completedFuture(new Outcome(r, true));
        }).orElseGet(() -> {
            if (!cache.mayHoldDurably(sha256)) {
                return classify(name, image, sha256, imageReleased);
            }
            return CompletableFuture.supplyAsync(() -> cache.durable(sha256), io).thenCompose(durable -> {
                if (durable.isPresent()) {
                    metrics.cacheLookup(true);
                    imageReleased.run();
                    return CompletableFuture.completedFuture(new Outcome(durable.get(), true));
                }
                return classify(name, image, sha256, imageReleased);
            });
        });
        return answer.orTimeout(config.deadline().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pendingUploads.decrementAndGet());
    }

    private CompletableFuture<Outcome> classify(String name, byte[] image, String sha256, Runnable imageReleased) {
        metrics.cacheLookup(false);
        return inFlight(name, image, sha256, imageReleased).thenApply(r -> new Outcome(r, false));
    }

    private CompletableFuture<ClassifyResponse> inFlight(String name, byte[] image, String sha256, Runnable imageReleased) {
        CompletableFuture<ClassifyResponse> mine = new CompletableFuture<>();
        CompletableFuture<ClassifyResponse> shared = bySha.putIfAbsent(sha256, mine);
        if (shared != null) {
            imageReleased.run();
            return shared;
        }
        String requestId = UUID.randomUUID().toString();
        byRequestId.put(requestId, mine);
        mine.whenComplete((r, e) -> {
            byRequestId.remove(requestId);
            bySha.remove(sha256, mine);
        });
        // The message outlives a waiter that gave up, so the whole flight expires with the deadline.
        mine.orTimeout(config.deadline().toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture.supplyAsync(() -> message(requestId, name, image, sha256), io).thenCompose(sender::send).whenComplete((ok, e) -> {
            imageReleased.run();
            if (e == null) {
                metrics.queueMessages.inc();
            } else {
                mine.completeExceptionally(new Rejection(503, "the request queue is unavailable: " + rootMessage(e), "5"));
            }
        });
        return mine;
    }

    /** The request message's body; an image too big to travel inline goes to S3 first. */
    private String message(String requestId, String name, byte[] image, String sha256) {
        ClassifyRequest request;
        if (Wire.fitsInline(image.length)) {
            request = new ClassifyRequest(requestId, name, sha256, Wire.encodeImage(image), null, System.currentTimeMillis());
        } else {
            String key = S3Layout.claimCheckKey(requestId);
            s3.putObject(b -> b.bucket(config.inputBucket()).key(key), RequestBody.fromBytes(image));
            request = new ClassifyRequest(requestId, name, sha256, null, new S3Ref(config.inputBucket(), key), System.currentTimeMillis());
        }
        return Wire.toJson(request);
    }

    /** A reply from the response queue; false when nobody waits for it any more. */
    boolean complete(ClassifyResponse response) {
        if (response.workerId() != null) {
            metrics.repliesByWorker.labelValues(response.workerId()).inc();
        }
        if (response.modelId() != null) {
            lastModelId = response.modelId();
        }
        if (response.engine() != null) {
            lastEngine = response.engine();
        }
        CompletableFuture<ClassifyResponse> waiting = byRequestId.remove(response.requestId());
        if (waiting == null || waiting.isDone()) {
            metrics.droppedReplies.inc();
            return false;
        }
        if (!response.failed() && response.sha256() != null) {
            io.execute(() -> cache.store(response.sha256(), response));
        }
        waiting.complete(response);
        return true;
    }

    static boolean isTimeout(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof TimeoutException) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
