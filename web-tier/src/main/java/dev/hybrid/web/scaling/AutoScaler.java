package dev.hybrid.web.scaling;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the controller on one background thread: at once after an HTTP arrival (without blocking the
 * request thread) and on a fixed tick for everything else (scale-in, workers that exited by themselves,
 * messages from other producers).
 */
public final class AutoScaler implements ScalingMetrics, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AutoScaler.class);
    public static final Duration DEFAULT_TICK = Duration.ofMillis(250);
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(1);

    private final ScalingController controller;
    private final ComputeProvider provider;
    private final Duration tick;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean arrivalQueued = new AtomicBoolean();

    public AutoScaler(ScalingController controller, ComputeProvider provider, Duration tick) {
        if (tick.isNegative() || tick.isZero() || tick.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("the scaling tick must be between 1 ms and 1 s, got " + tick);
        }
        this.controller = controller;
        this.provider = provider;
        this.tick = tick;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "autoscaler");
            thread.setDaemon(true);
            return thread;
        });
    }

    public AutoScaler start() {
        executor.scheduleWithFixedDelay(this::reconcileQuietly, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Call on every accepted HTTP request; returns immediately, and bursts collapse into one decision. */
    public void onArrival() {
        if (arrivalQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    arrivalQueued.set(false);
                    reconcileQuietly();
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                arrivalQueued.set(false);
            }
        }
    }

    private void reconcileQuietly() {
        try {
            controller.reconcile();
        } catch (RuntimeException e) {
            // A failed read of the queue must not end the schedule; the next tick retries.
            log.warn("scaling decision skipped: {}", e.toString());
        }
    }

    @Override
    public ScalingSnapshot snapshot() {
        return controller.snapshot();
    }

    /** Stops deciding, then stops every worker the provider started. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        provider.close();
    }
}
