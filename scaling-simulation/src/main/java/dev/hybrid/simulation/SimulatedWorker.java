package dev.hybrid.simulation;

import dev.hybrid.web.scaling.WorkerState;

/** A worker on virtual time. The generation invalidates events scheduled for an earlier state. */
final class SimulatedWorker {
    WorkerState state;
    long generation;
    long busyWithArrivedAt = -1;
    boolean parkWhenStopped;
    /** The instance of this start reports {@code running} (it is past {@code pending}); EC2 scenarios only. */
    boolean instanceRunning;
    /** Running as the provider sees it, but the guest is still booting or the worker loading its model. */
    boolean booting;

    SimulatedWorker(WorkerState state) {
        this.state = state;
    }

    boolean isBusy() {
        return busyWithArrivedAt >= 0;
    }
}
