package dev.hybrid.web.scaling.simulation;

import dev.hybrid.web.scaling.WorkerState;

/** A worker on virtual time. The generation invalidates events scheduled for an earlier state. */
final class SimulatedWorker {
    WorkerState state;
    long generation;
    long busyWithArrivedAt = -1;
    boolean parkWhenStopped;

    SimulatedWorker(WorkerState state) {
        this.state = state;
    }

    boolean isBusy() {
        return busyWithArrivedAt >= 0;
    }
}
