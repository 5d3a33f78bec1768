package dev.hybrid.web.scaling;

/**
 * A provider's workers by state.
 *
 * @param starting launched or resuming, not yet ready; will serve once ready
 * @param running  ready and consuming the request queue
 * @param stopping told to stop or park, not yet gone
 * @param warming  launched to refill the warm pool; will be parked once ready
 * @param warm     parked: ready but not consuming anything (stopped instance, suspended process)
 */
public record FleetCounts(int starting, int running, int stopping, int warming, int warm) {
    public static final FleetCounts EMPTY = new FleetCounts(0, 0, 0, 0, 0);

    /** Workers serving now or about to: what the policy's desired count is compared with. */
    public int serving() {
        return starting + running;
    }

    /** Workers that exist and are not parked: what the maximum bounds. */
    public int live() {
        return starting + running + stopping + warming;
    }
}
