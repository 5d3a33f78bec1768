/**
 * The app-tier worker: {@link dev.hybrid.worker.WorkerMain} reads its settings (options, else the {@code HYBRID_*}
 * environment), then batch processors long-poll the request queue, fetch claim-checked images, classify a batch in
 * one forward pass, write the labels to S3 and reply on the response queue, with a visibility heartbeat and an idle
 * exit; also the workload a class-data archive is recorded from. May import {@code dev.hybrid.contract},
 * {@code dev.hybrid.worker.model}, the AWS SDK (SQS, S3), picocli and SLF4J; never the web tier or the orchestrator.
 */
package dev.hybrid.worker;
