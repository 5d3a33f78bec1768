package dev.hybrid.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Keeps a slow batch invisible to other workers: every half visibility timeout it pushes the
 * timeout out again, so a batch that takes longer than the timeout is not handed out twice.
 */
final class VisibilityHeartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VisibilityHeartbeat.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration visibilityTimeout;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "visibility-heartbeat");
        t.setDaemon(true);
        return t;
    });

    VisibilityHeartbeat(SqsClient sqs, String queueUrl, Duration visibilityTimeout) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.visibilityTimeout = visibilityTimeout;
    }

    /** Starts extending the messages' visibility; closing the handle stops it. */
    AutoCloseable keepInvisible(List<Message> messages) {
        long periodMillis = Math.max(500, visibilityTimeout.toMillis() / 2);
        ScheduledFuture<?> beat = timer.scheduleAtFixedRate(() -> extend(messages), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return () -> beat.cancel(false);
    }

    private void extend(List<Message> messages) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size() && i < 10; i++) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle())
                    .visibilityTimeout((int) visibilityTimeout.toSeconds()).build());
        }
        try {
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
        } catch (RuntimeException e) {
            log.warn("could not extend the visibility of {} requests: {}", entries.size(), e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
