package dev.hybrid.cli.aws;

import dev.hybrid.contract.Roles;
import java.util.Map;

/**
 * The desired shape of one queue.
 *
 * @param role           request, response or dlq; part of the name and the {@code hybrid:role} tag
 * @param attributes     SQS attributes to set, by their API names
 * @param deadLetterKey  the resource key of the dead-letter queue, or null
 * @param maxReceiveCount receives before SQS moves a message to the dead-letter queue
 */
public record QueueSpec(String role, Map<String, String> attributes, String deadLetterKey, int maxReceiveCount) {
    public static final int LONG_POLL_SECONDS = 20;
    public static final int MAX_RECEIVE_COUNT = dev.hybrid.contract.WorkerLimits.DEFAULT_MAX_RECEIVES;
    private static final String FOURTEEN_DAYS = String.valueOf(14 * 24 * 3600);

    public QueueSpec {
        attributes = Map.copyOf(attributes);
    }

    /** Workers take batches; a message stays hidden long enough for the whole batch to be classified. */
    public static QueueSpec request(int visibilityTimeoutSeconds, String deadLetterKey) {
        return new QueueSpec(Roles.REQUEST_QUEUE, Map.of("VisibilityTimeout", String.valueOf(visibilityTimeoutSeconds),
                "ReceiveMessageWaitTimeSeconds", String.valueOf(LONG_POLL_SECONDS)), deadLetterKey, MAX_RECEIVE_COUNT);
    }

    public static QueueSpec response() {
        return new QueueSpec(Roles.RESPONSE_QUEUE, Map.of("VisibilityTimeout", "30",
                "ReceiveMessageWaitTimeSeconds", String.valueOf(LONG_POLL_SECONDS)), null, 0);
    }

    /** Kept as long as SQS allows, so failed requests can be inspected. */
    public static QueueSpec deadLetter() {
        return new QueueSpec(Roles.DEAD_LETTER_QUEUE, Map.of("MessageRetentionPeriod", FOURTEEN_DAYS,
                "ReceiveMessageWaitTimeSeconds", String.valueOf(LONG_POLL_SECONDS)), null, 0);
    }
}
