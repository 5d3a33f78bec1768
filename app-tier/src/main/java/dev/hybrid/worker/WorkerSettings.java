package dev.hybrid.worker;

import dev.hybrid.contract.WorkerLimits;
import java.net.URI;
import java.time.Duration;

/**
 * Where the worker reads and writes, and how hard it works. Credentials are not here: the SDK's
 * default chain finds them (environment, instance profile), so they never pass through flags.
 */
record WorkerSettings(
        String requestQueueUrl,
        String responseQueueUrl,
        String inputBucket,
        String outputBucket,
        String region,
        URI sqsEndpoint,
        URI s3Endpoint,
        boolean s3PathStyle,
        int threads,
        int batchSize,
        int receiveWaitSeconds,
        Duration idleExit,
        Duration visibilityTimeout,
        String workerId,
        Integer maxReceives) {

    /** Without a receive limit: the queue's redrive policy is read, else {@link WorkerLimits#DEFAULT_MAX_RECEIVES}. */
    WorkerSettings(String requestQueueUrl, String responseQueueUrl, String inputBucket, String outputBucket, String region,
                   URI sqsEndpoint, URI s3Endpoint, boolean s3PathStyle, int threads, int batchSize, int receiveWaitSeconds,
                   Duration idleExit, Duration visibilityTimeout, String workerId) {
        this(requestQueueUrl, responseQueueUrl, inputBucket, outputBucket, region, sqsEndpoint, s3Endpoint, s3PathStyle, threads,
                batchSize, receiveWaitSeconds, idleExit, visibilityTimeout, workerId, null);
    }

    WorkerSettings {
        if (batchSize < 1 || batchSize > 10) {
            throw new IllegalArgumentException("--batch must be between 1 and 10 (SQS returns at most 10 messages), got " + batchSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (maxReceives != null && maxReceives < 1) {
            throw new IllegalArgumentException("--max-receives must be at least 1, got " + maxReceives);
        }
        if (receiveWaitSeconds < 0 || receiveWaitSeconds > 20) {
            throw new IllegalArgumentException("--receive-wait must be between 0 and 20 seconds, got " + receiveWaitSeconds);
        }
    }

    boolean idleExitEnabled() {
        return idleExit != null && !idleExit.isZero();
    }
}
