package dev.hybrid.web.scaling;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Reads the request queue's backlog through GetQueueAttributes. */
public final class SqsBacklogSource implements BacklogSource {
    private final SqsClient sqs;
    private final GetQueueAttributesRequest request;

    public SqsBacklogSource(SqsClient sqs, String requestQueueUrl) {
        this.sqs = sqs;
        this.request = GetQueueAttributesRequest.builder()
                .queueUrl(requestQueueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                .build();
    }

    @Override
    public Backlog read() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(request).attributes();
        return new Backlog(
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static int count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        String value = attributes.get(name);
        return value == null ? 0 : Integer.parseInt(value);
    }
}
