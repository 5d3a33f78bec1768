package dev.hybrid.web.scaling;

import java.util.function.LongSupplier;

/**
 * How many requests one serving worker answers per second, learnt from the replies: a prior until workers
 * have been busy for a while, then an exponentially weighted average over windows of at least one second.
 * Only time in which every serving worker had work counts, or idle workers would look slow. The controller
 * uses it to tell whether a worker it could start would arrive before the backlog is gone.
 */
public final class ServiceRate {
    private static final long WINDOW_MILLIS = 1000;
    private static final double WEIGHT_OF_NEW = 0.5;

    private final LongSupplier clockMillis;
    private double perWorkerPerSecond;
    private long replies;
    private long repliesAtLastObservation;
    private long lastObservation = -1;
    private int servingSinceLastObservation;
    private boolean saturatedSinceLastObservation;
    private long windowReplies;
    private double windowWorkerSeconds;

    /** @param priorPerWorkerPerSecond the estimate before any measurement; 0 for none, which leaves every start allowed */
    public ServiceRate(double priorPerWorkerPerSecond, LongSupplier clockMillis) {
        if (priorPerWorkerPerSecond < 0) {
            throw new IllegalArgumentException("a service rate cannot be negative, got " + priorPerWorkerPerSecond);
        }
        this.perWorkerPerSecond = priorPerWorkerPerSecond;
        this.clockMillis = clockMillis;
    }

    /** The web tier calls this once per reply from a worker. */
    public synchronized void onReply() {
        replies++;
    }

    /**
     * The controller calls this at each decision.
     *
     * @param serving   workers serving from now on, base capacity included
     * @param saturated whether there is at least as much demand as serving workers from now on
     */
    synchronized void observe(int serving, boolean saturated) {
        long now = clockMillis.getAsLong();
        if (lastObservation >= 0 && saturatedSinceLastObservation && servingSinceLastObservation > 0) {
            windowReplies += replies - repliesAtLastObservation;
            windowWorkerSeconds += servingSinceLastObservation * (now - lastObservation) / 1000.0;
        }
        lastObservation = now;
        repliesAtLastObservation = replies;
        servingSinceLastObservation = serving;
        saturatedSinceLastObservation = saturated;
        if (windowWorkerSeconds * 1000 >= WINDOW_MILLIS && windowReplies > 0) {
            double measured = windowReplies / windowWorkerSeconds;
            perWorkerPerSecond = perWorkerPerSecond == 0 ? measured : WEIGHT_OF_NEW * measured + (1 - WEIGHT_OF_NEW) * perWorkerPerSecond;
            windowReplies = 0;
            windowWorkerSeconds = 0;
        }
    }

    public synchronized double perWorkerPerSecond() {
        return perWorkerPerSecond;
    }
}
