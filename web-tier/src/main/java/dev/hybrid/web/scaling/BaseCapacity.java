package dev.hybrid.web.scaling;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private base capacity: a fixed number of workers on the private side that always consume the request
 * queue, kept at strength if one exits. The elastic policy subtracts them through
 * {@link ScalingPolicy#baseCapacity()}; they are never scaled in and never count towards the maximum.
 * They run as separate worker processes because the web tier does not embed the app tier's classifier.
 */
public final class BaseCapacity implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BaseCapacity.class);

    private final ComputeProvider provider;
    private final int workers;
    private final Duration checkInterval;
    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "base-capacity");
        thread.setDaemon(true);
        return thread;
    });

    public BaseCapacity(ComputeProvider provider, int workers, Duration checkInterval) {
        if (workers < 0) {
            throw new IllegalArgumentException("base capacity cannot be negative, got " + workers);
        }
        this.provider = provider;
        this.workers = workers;
        this.checkInterval = checkInterval;
    }

    public BaseCapacity start() {
        if (workers > 0) {
            keeper.scheduleWithFixedDelay(this::keepAtStrength, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void keepAtStrength() {
        try {
            int missing = workers - provider.counts().serving();
            if (missing > 0) {
                log.info("base capacity: starting {} of {} workers", missing, workers);
                provider.activate(missing);
            }
        } catch (RuntimeException e) {
            log.warn("base capacity check failed: {}", e.toString());
        }
    }

    public int workers() {
        return workers;
    }

    public FleetCounts counts() {
        return provider.counts();
    }

    @Override
    public void close() {
        keeper.shutdownNow();
        provider.close();
    }
}
