package dev.hybrid.web.scaling;

/**
 * How many elastic workers the current demand calls for:
 * {@code clamp(ceil(demand / perWorkerTarget) - baseCapacity, minWorkers, maxWorkers)}.
 *
 * @param perWorkerTarget messages one worker is expected to keep up with (queued plus in flight)
 * @param baseCapacity    private workers that always consume the queue and are not managed here
 */
public record ScalingPolicy(int perWorkerTarget, int minWorkers, int maxWorkers, int baseCapacity) {
    public static final int DEFAULT_MAX_WORKERS = 20;

    public ScalingPolicy {
        if (perWorkerTarget < 1) {
            throw new IllegalArgumentException("perWorkerTarget must be at least 1, got " + perWorkerTarget);
        }
        if (minWorkers < 0 || maxWorkers < minWorkers) {
            throw new IllegalArgumentException(
                    "need 0 <= minWorkers <= maxWorkers, got min=" + minWorkers + " max=" + maxWorkers);
        }
        if (baseCapacity < 0) {
            throw new IllegalArgumentException("baseCapacity cannot be negative, got " + baseCapacity);
        }
    }

    public static ScalingPolicy defaults() {
        return new ScalingPolicy(1, 0, DEFAULT_MAX_WORKERS, 0);
    }

    public int desiredWorkers(Demand demand) {
        int needed = ceilDiv(demand.total(), perWorkerTarget) - baseCapacity;
        return Math.max(minWorkers, Math.min(maxWorkers, needed));
    }

    private static int ceilDiv(int dividend, int divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
