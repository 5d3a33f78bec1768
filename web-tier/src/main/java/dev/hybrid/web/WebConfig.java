package dev.hybrid.web;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the web tier is told at start; see {@link WebMain} for where each value comes from.
 * Workers come from {@code launchTemplateId} (EC2) when set, else from {@code workerJar} (local processes).
 * {@code maxBufferedBytes} bounds the upload bodies held in memory at once, across all uploads; 0 means
 * {@link BodyBudget#defaultCapacity a quarter of the heap}.
 */
record WebConfig(
        String requestQueueUrl,
        String responseQueueUrl,
        String inputBucket,
        String outputBucket,
        String region,
        URI sqsEndpoint,
        URI s3Endpoint,
        boolean s3PathStyle,
        String bind,
        int port,
        ReplyFormat reply,
        Duration deadline,
        int maxPending,
        long maxImageBytes,
        long maxBufferedBytes,
        int cacheEntries,
        int replyPollers,
        int replyWaitSeconds,
        Path workerJar,
        int workersMax,
        int warmPool,
        int baseWorkers,
        Path workerLogDir,
        String stack,
        String launchTemplateId) {}
