package dev.hybrid.web.scaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A thread-safe provider double that counts workers by state and records the highest number of live
 * workers (pending starts included) it ever held, and the order of the operations it was asked for.
 */
final class RecordingProvider implements ComputeProvider {
    private final int warmPoolSize;
    private int starting;
    private int running;
    private int warm;
    private int maxLiveSeen;
    private int launches;
    private int resumes;
    private final List<String> operations = new ArrayList<>();
    private Duration resumeDelay = Duration.ZERO;
    private Duration launchDelay = Duration.ZERO;
    private boolean parkedMayHoldMessages = true;

    RecordingProvider(int warmPoolSize, int initiallyWarm) {
        this.warmPoolSize = warmPoolSize;
        this.warm = initiallyWarm;
    }

    @Override
    public synchronized FleetCounts counts() {
        return new FleetCounts(starting, running, 0, 0, warm);
    }

    /** Start delays and parking like EC2's: stopped instances, start-from-stopped 8 s, run-from-AMI 30 s. */
    RecordingProvider likeEc2() {
        resumeDelay = Duration.ofSeconds(8);
        launchDelay = Duration.ofSeconds(30);
        parkedMayHoldMessages = false;
        return this;
    }

    @Override
    public Duration resumeDelay() {
        return resumeDelay;
    }

    @Override
    public Duration launchDelay() {
        return launchDelay;
    }

    @Override
    public boolean parkedWorkersMayHoldMessages() {
        return parkedMayHoldMessages;
    }

    @Override
    public int warmPoolSize() {
        return warmPoolSize;
    }

    @Override
    public synchronized int activate(int count) {
        int fromPool = Math.min(count, warm);
        warm -= fromPool;
        running += fromPool;
        resumes += fromPool;
        starting += count - fromPool;
        launches += count - fromPool;
        operations.add("activate " + count + " (resumed " + fromPool + ")");
        maxLiveSeen = Math.max(maxLiveSeen, starting + running);
        return count;
    }

    @Override
    public synchronized int deactivate(int count, boolean parkAllowed) {
        int taken = 0;
        while (taken < count && starting + running > 0) {
            if (starting > 0) {
                starting--;
            } else {
                running--;
            }
            if (parkAllowed && warm < warmPoolSize) {
                warm++;
            }
            taken++;
        }
        operations.add("deactivate " + count + (parkAllowed ? " park" : " stop"));
        return taken;
    }

    @Override
    public synchronized int replenishWarmPool(int headroom) {
        return 0;
    }

    /** Pending starts finish. */
    synchronized void completeStarts() {
        running += starting;
        starting = 0;
    }

    /** A worker leaves by itself, as with the worker's idle exit. */
    synchronized void workerExits() {
        if (running > 0) {
            running--;
        } else if (starting > 0) {
            starting--;
        }
    }

    synchronized int maxLiveSeen() {
        return maxLiveSeen;
    }

    synchronized int launches() {
        return launches;
    }

    synchronized int resumes() {
        return resumes;
    }

    synchronized List<String> operations() {
        return List.copyOf(operations);
    }

    @Override
    public synchronized void close() {
        starting = 0;
        running = 0;
        warm = 0;
    }
}
