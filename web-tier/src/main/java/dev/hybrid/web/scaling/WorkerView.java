package dev.hybrid.web.scaling;

import java.time.Instant;

/** A worker process as the provider sees it; workerId and modelId are null until its ready line. */
public record WorkerView(long pid, Instant startedAt, WorkerState state, String workerId, String modelId,
                         Boolean untrained) {
}
