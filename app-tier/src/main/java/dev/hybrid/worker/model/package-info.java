/**
 * The image classifier: loading the model (DJL model zoo, S3 or a file, with an untrained fallback), the labels and
 * profiles ({@code cse546}, {@code imagenet}), decoding and resizing as PIL does, and batched inference.
 * May import {@code dev.hybrid.contract}, DJL, the AWS SDK (S3, to fetch a model) and SLF4J; never
 * {@code dev.hybrid.worker} (the worker uses the model, not the other way round), the web tier or the orchestrator.
 */
package dev.hybrid.worker.model;
