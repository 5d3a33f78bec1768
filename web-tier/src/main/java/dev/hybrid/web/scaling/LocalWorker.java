package dev.hybrid.web.scaling;

import java.time.Instant;

/** One child worker process; its state is guarded by the owning provider's lock. */
final class LocalWorker {
    final Process process;
    final long pid;
    final Instant startedAt;
    WorkerState state;
    ReadyLine ready;

    LocalWorker(Process process, Instant startedAt, WorkerState state) {
        this.process = process;
        this.pid = process.pid();
        this.startedAt = startedAt;
        this.state = state;
    }

    boolean isReady() {
        return ready != null;
    }

    WorkerView view() {
        return new WorkerView(pid, startedAt, state,
                ready == null ? null : ready.workerId(),
                ready == null ? null : ready.modelId(),
                ready == null ? null : ready.untrained());
    }
}
