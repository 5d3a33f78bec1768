package dev.hybrid.web.scaling;

import java.util.OptionalDouble;

/**
 * How many messages one ready worker finishes per millisecond, learnt from the controller's own
 * observations: demand falling while every ready worker was busy. Arrivals between two observations
 * hide completions, so the estimate errs low, which only makes the controller start more workers.
 * Old observations are halved away, so the estimate follows a change of model or image size.
 */
final class ServiceRate {
    private static final double FORGET_AFTER_WORKER_MILLIS = 120_000;

    private double completed;
    private double workerMillis;
    private long lastAtMillis = -1;
    private int lastDemand;
    private int lastReady;

    /** Records one observation: outstanding demand and the workers ready to serve it (base ones included). */
    void observe(long nowMillis, int demand, int ready) {
        if (lastAtMillis >= 0 && nowMillis > lastAtMillis && lastReady > 0 && lastDemand >= lastReady) {
            completed += Math.max(0, lastDemand - demand);
            // Workers become ready between observations; the mean of both ends is closer than either.
            workerMillis += (nowMillis - lastAtMillis) * (lastReady + Math.max(ready, lastReady)) / 2.0;
            if (workerMillis > FORGET_AFTER_WORKER_MILLIS) {
                completed /= 2;
                workerMillis /= 2;
            }
        }
        lastAtMillis = nowMillis;
        lastDemand = demand;
        lastReady = ready;
    }

    /**
     * Messages per ready worker per millisecond, once about one message per ready worker has been seen to
     * finish. Each worker busy at the last observation is counted half-way through its message: without
     * that, the first second of a burst of slow messages would look far slower than it is.
     */
    OptionalDouble perWorkerPerMilli() {
        if (workerMillis <= 0 || completed < Math.max(1, lastReady)) {
            return OptionalDouble.empty();
        }
        double inProgress = lastDemand >= lastReady ? lastReady / 2.0 : 0;
        return OptionalDouble.of((completed + inProgress) / workerMillis);
    }
}
