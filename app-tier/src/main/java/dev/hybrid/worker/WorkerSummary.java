package dev.hybrid.worker;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker's counters as one log line: every minute at debug level, once at info level on exit. */
final class WorkerSummary implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerSummary.class);

    private final String workerId;
    private final Worker worker;
    private final long startedAt = System.nanoTime();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker-summary");
        t.setDaemon(true);
        return t;
    });

    WorkerSummary(String workerId, Worker worker) {
        this.workerId = workerId;
        this.worker = worker;
        timer.scheduleAtFixedRate(() -> log.debug(line()), 60, 60, TimeUnit.SECONDS);
    }

    String line() {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
        return "worker " + workerId + ": " + worker.imagesDone() + " requests answered, " + worker.malformedDropped()
                + " malformed dropped, up " + seconds + " s";
    }

    /**
     * Logs the final line once, whichever of the normal end and the shutdown hook comes first. Synchronized, so
     * that the later caller returns only once the line is written: the hook halts the JVM right after.
     */
    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            timer.shutdownNow();
            log.info(line());
        }
    }
}
