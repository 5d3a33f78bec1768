package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Resource;
import java.util.List;

/** The AWS side of a deployment: three queues and three buckets. */
public final class AwsStack {
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String ARTIFACTS = "artifacts";
    /** A batch of ten images at a few seconds each, with room to spare. */
    public static final int DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 120;

    private AwsStack() {
    }

    public static List<Resource> resources(AwsClients aws) {
        return resources(aws, DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
    }

    public static List<Resource> resources(AwsClients aws, int requestVisibilityTimeoutSeconds) {
        QueueSpec deadLetter = QueueSpec.deadLetter();
        return List.of(
                new SqsQueue(aws.sqs(), deadLetter),
                new SqsQueue(aws.sqs(), QueueSpec.request(requestVisibilityTimeoutSeconds, SqsQueue.keyFor(deadLetter.role()))),
                new SqsQueue(aws.sqs(), QueueSpec.response()),
                new S3Bucket(aws, INPUT),
                new S3Bucket(aws, OUTPUT),
                new S3Bucket(aws, ARTIFACTS));
    }
}
