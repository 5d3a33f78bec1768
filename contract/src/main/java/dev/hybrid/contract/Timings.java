package dev.hybrid.contract;

/**
 * Where a request's time went on the worker: waiting in the queue (sent → received)
 * and in the model's forward pass (its share of the batch).
 */
public record Timings(long queueWaitMillis, long modelMillis) {}
