package dev.hybrid.web.scaling;

/**
 * Carries out the controller's decisions on some kind of compute (local processes, EC2 instances).
 * Every method must update {@link #counts()} before it returns, including workers that have only been
 * asked to start, so the controller's maximum holds while starts are still pending.
 */
public interface ComputeProvider extends AutoCloseable {

    FleetCounts counts();

    /**
     * Brings up to {@code count} more workers into service: parked (warm) workers first, then workers
     * being launched for the warm pool, then new launches. Returns how many were brought in.
     */
    int activate(int count);

    /**
     * Takes up to {@code count} serving workers out of service, not-yet-ready ones first. With
     * {@code parkAllowed} they are parked while the warm pool has room; otherwise they are stopped for good.
     * Returns how many were taken out.
     */
    int deactivate(int count, boolean parkAllowed);

    /** Launches workers to be parked until the warm pool is full, at most {@code headroom} of them. */
    int replenishWarmPool(int headroom);

    /** Stops every worker, parked ones included, and waits for them to go. */
    @Override
    void close();
}
