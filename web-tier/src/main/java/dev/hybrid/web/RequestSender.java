package dev.hybrid.web;

import dev.hybrid.contract.Wire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Puts request messages on the queue with SendMessageBatch, up to ten to a call. Nothing waits to
 * fill a batch: a message goes out at once when a sender is free, and the messages that arrive
 * while all senders are busy leave together in the next call. So a lone upload costs one call as
 * before, and a burst of a hundred costs about a dozen instead of a hundred.
 */
final class RequestSender {
    /** SQS takes at most ten entries per batch and as many bytes in all as in one message. */
    static final int MAX_ENTRIES = 10;
    static final int MAX_BATCH_BYTES = Wire.SQS_MAX_MESSAGE_BYTES;

    private record Outgoing(String body, int bytes, CompletableFuture<Void> sent) {}

    private final SqsClient sqs;
    private final String queueUrl;
    private final Executor executor;
    private final int maxSenders;
    private final Queue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
    private final AtomicInteger senders = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    RequestSender(SqsClient sqs, String queueUrl, Executor executor, int maxSenders) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.executor = executor;
        this.maxSenders = maxSenders;
    }

    /** Completes when the queue has accepted the message; fails with the queue's error otherwise. */
    CompletableFuture<Void> send(String body) {
        Outgoing message = new Outgoing(body, body.getBytes(StandardCharsets.UTF_8).length, new CompletableFuture<>());
        outgoing.add(message);
        if (claimSender()) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                senders.decrementAndGet();
                synchronized (outgoing) {
                    outgoing.remove(message);
                }
                message.sent().completeExceptionally(e);
            }
        }
        return message.sent();
    }

    /** SendMessageBatch calls made so far. */
    int calls() {
        return calls.get();
    }

    private boolean claimSender() {
        while (true) {
            int now = senders.get();
            if (now >= maxSenders) {
                return false;
            }
            if (senders.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private void drain() {
        while (true) {
            List<Outgoing> batch = takeBatch();
            if (batch.isEmpty()) {
                senders.decrementAndGet();
                // A message added after takeBatch looked, while this sender still counted, found no free sender.
                if (outgoing.isEmpty() || !claimSender()) {
                    return;
                }
                continue;
            }
            sendBatch(batch);
        }
    }

    private List<Outgoing> takeBatch() {
        List<Outgoing> batch = new ArrayList<>(MAX_ENTRIES);
        int bytes = 0;
        synchronized (outgoing) {
            Outgoing next;
            while (batch.size() < MAX_ENTRIES && (next = outgoing.peek()) != null
                    && (batch.isEmpty() || bytes + next.bytes() <= MAX_BATCH_BYTES)) {
                batch.add(outgoing.poll());
                bytes += next.bytes();
            }
        }
        return batch;
    }

    private void sendBatch(List<Outgoing> batch) {
        Map<String, Outgoing> byId = new HashMap<>();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String id = Integer.toString(i);
            byId.put(id, batch.get(i));
            entries.add(SendMessageBatchRequestEntry.builder().id(id).messageBody(batch.get(i).body()).build());
        }
        try {
            calls.incrementAndGet();
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            response.successful().forEach(ok -> byId.remove(ok.id()).sent().complete(null));
            response.failed().forEach(failed -> {
                Outgoing message = byId.remove(failed.id());
                if (message != null) {
                    message.sent().completeExceptionally(new IllegalStateException(failed.code() + ": " + failed.message()));
                }
            });
            // An entry the answer does not mention was not confirmed either.
            byId.values().forEach(m -> m.sent().completeExceptionally(new IllegalStateException("not confirmed by the queue")));
        } catch (RuntimeException e) {
            batch.forEach(m -> m.sent().completeExceptionally(e));
        }
    }
}
