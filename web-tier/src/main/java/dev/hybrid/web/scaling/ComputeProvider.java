package dev.hybrid.web.scaling;

import java.time.Duration;

/**
 * Carries out the controller's decisions on some kind of compute (local processes, EC2 instances).
 * Every method must update {@link #counts()} before it returns, including workers that have only been
 * asked to start, so the controller's maximum holds while starts are still pending.
 */
public interface ComputeProvider extends AutoCloseable {

    FleetCounts counts();

    /** How many parked workers the provider keeps ready; 0 without a warm pool. */
    int warmPoolSize();

    /**
     * Brings up to {@code count} more workers into service: parked (warm) workers first, then workers
     * being launched for the warm pool, then new launches. Returns how many were brought in.
     */
    int activate(int count);

    /**
     * Takes up to {@code count} serving workers out of service. With {@code parkAllowed}, ready workers are
     * parked while the warm pool has room; the rest are stopped for good, not-yet-ready ones first.
     * Returns how many were taken out.
     */
    int deactivate(int count, boolean parkAllowed);

    /**
     * About how long a worker resumed from the warm pool takes until it serves; the short end of the range,
     * since the controller only skips a start that cannot help. {@link Duration#ZERO} if unknown: then
     * every start the policy asks for is made.
     */
    default Duration resumeDelay() {
        return Duration.ZERO;
    }

    /** As {@link #resumeDelay()}, for a newly launched worker. */
    default Duration launchDelay() {
        return Duration.ZERO;
    }

    /**
     * Whether a parked worker may still hold a message, so that any demand must wake the pool. True for a
     * process suspended during an SQS long poll; false where parking ends the worker process (a stopped
     * instance), since waking it then brings no held message back.
     */
    default boolean parkedWorkersMayHoldMessages() {
        return true;
    }

    /** Launches workers to be parked until the warm pool is full, at most {@code headroom} of them. */
    int replenishWarmPool(int headroom);

    /** Stops every worker, parked ones included, and waits for them to go. */
    @Override
    void close();
}
