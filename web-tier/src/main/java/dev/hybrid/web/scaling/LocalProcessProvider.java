package dev.hybrid.web.scaling;

import dev.hybrid.contract.ParentProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers as child processes of the web tier. Settings reach them only through the environment, which
 * also names the web tier ({@link ParentProcess#PARENT_PID_ENV}): a running worker stops by itself
 * within seconds of the web tier's end, however it ended. The
 * warm pool is made of ready workers suspended with SIGSTOP: the model stays loaded, nothing runs, and
 * SIGCONT puts a worker back in service in milliseconds without any cooperation from the worker.
 */
public final class LocalProcessProvider implements ComputeProvider {
    private static final Logger log = LoggerFactory.getLogger(LocalProcessProvider.class);

    private final LocalProcessSettings settings;
    private final Map<Long, LocalWorker> workers = new LinkedHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "worker-timers");
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;
    private int failedStarts;
    private long launchesPausedUntilNanos = System.nanoTime();
    /** The fastest launch-to-ready line seen; zero until a worker has been ready. */
    private Duration fastestLaunch = Duration.ZERO;

    public LocalProcessProvider(LocalProcessSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized FleetCounts counts() {
        int starting = 0, running = 0, stopping = 0, warming = 0, warm = 0;
        for (LocalWorker worker : workers.values()) {
            switch (worker.state) {
                case STARTING -> starting++;
                case RUNNING -> running++;
                case STOPPING -> stopping++;
                case WARMING -> warming++;
                case WARM -> warm++;
            }
        }
        return new FleetCounts(starting, running, stopping, warming, warm);
    }

    public synchronized List<WorkerView> workers() {
        return workers.values().stream().map(LocalWorker::view).toList();
    }

    @Override
    public synchronized int activate(int count) {
        int activated = 0;
        for (LocalWorker worker : oldestFirst(WorkerState.WARM)) {
            if (activated == count) {
                return activated;
            }
            if (!ProcessSignals.resume(worker.pid)) {
                log.warn("worker pid={} could not be resumed; dropping it from the warm pool", worker.pid);
                worker.state = WorkerState.STOPPING;
                worker.process.destroyForcibly();
                continue;
            }
            worker.state = WorkerState.RUNNING;
            log.info("worker pid={} resumed from the warm pool", worker.pid);
            activated++;
        }
        for (LocalWorker worker : oldestFirst(WorkerState.WARMING)) {
            if (activated == count) {
                return activated;
            }
            worker.state = WorkerState.STARTING;
            activated++;
        }
        while (activated < count && launchesAllowed()) {
            launch(WorkerState.STARTING);
            activated++;
        }
        return activated;
    }

    /** SIGCONT: milliseconds. */
    @Override
    public Duration resumeDelay() {
        return Duration.ZERO;
    }

    @Override
    public synchronized Duration launchDelay() {
        return fastestLaunch;
    }

    @Override
    public synchronized int warmPoolSize() {
        return settings.warmPoolSize();
    }

    @Override
    public synchronized int deactivate(int count, boolean parkAllowed) {
        int vacancies = settings.warmPoolSize() - countOf(WorkerState.WARM) - countOf(WorkerState.WARMING);
        int toPark = parkAllowed ? Math.max(0, Math.min(count, vacancies)) : 0;
        // Park the workers that are ready or nearest to it; stop the latest launches first.
        List<LocalWorker> parkFirst = new ArrayList<>(newestFirst(WorkerState.RUNNING));
        parkFirst.addAll(oldestFirst(WorkerState.STARTING));
        List<LocalWorker> parked = parkFirst.subList(0, Math.min(toPark, parkFirst.size()));
        parked.forEach(this::park);

        List<LocalWorker> stopFirst = new ArrayList<>(newestFirst(WorkerState.STARTING));
        stopFirst.addAll(newestFirst(WorkerState.RUNNING));
        int toStop = Math.min(count - parked.size(), stopFirst.size());
        stopFirst.subList(0, toStop).forEach(this::stop);
        return parked.size() + toStop;
    }

    @Override
    public synchronized int replenishWarmPool(int headroom) {
        int missing = settings.warmPoolSize() - countOf(WorkerState.WARM) - countOf(WorkerState.WARMING);
        int wanted = Math.max(0, Math.min(missing, headroom));
        int launches = 0;
        while (launches < wanted && launchesAllowed()) {
            launch(WorkerState.WARMING);
            launches++;
        }
        return launches;
    }

    private void launch(WorkerState initialState) {
        ProcessBuilder builder = new ProcessBuilder(settings.command())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(settings.environment());
        // The worker watches this process and stops when it is gone, even after a SIGKILL that ran no shutdown hook.
        builder.environment().put(ParentProcess.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
        Process process;
        try {
            if (settings.logDirectory() == null) {
                builder.redirectError(ProcessBuilder.Redirect.INHERIT);
            } else {
                java.nio.file.Files.createDirectories(settings.logDirectory());
                builder.redirectError(ProcessBuilder.Redirect.appendTo(
                        settings.logDirectory().resolve("worker-" + System.nanoTime() + ".log").toFile()));
            }
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker " + settings.command().get(0) + ": " + e.getMessage(), e);
        }
        LocalWorker worker = new LocalWorker(process, Instant.now(), initialState);
        workers.put(worker.pid, worker);
        log.info("worker pid={} launched ({})", worker.pid, initialState == WorkerState.WARMING ? "for the warm pool" : "to serve");
        Thread reader = new Thread(() -> readStdout(worker), "worker-stdout-" + worker.pid);
        reader.setDaemon(true);
        reader.start();
        process.onExit().thenRun(() -> onExit(worker));
        timers.schedule(() -> onReadyTimeout(worker), settings.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void readStdout(LocalWorker worker) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(worker.process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String current = line;
                ReadyLine.parse(line).ifPresentOrElse(
                        ready -> onReady(worker, ready),
                        () -> log.debug("worker pid={}: {}", worker.pid, current));
            }
        } catch (IOException e) {
            log.debug("worker pid={} stdout closed: {}", worker.pid, e.toString());
        }
    }

    private synchronized void onReady(LocalWorker worker, ReadyLine ready) {
        if (worker.isReady() || !workers.containsKey(worker.pid)) {
            return;
        }
        worker.ready = ready;
        failedStarts = 0;
        Duration launch = Duration.between(worker.startedAt, Instant.now());
        if (fastestLaunch.isZero() || launch.compareTo(fastestLaunch) < 0) {
            fastestLaunch = launch;
        }
        switch (worker.state) {
            case STARTING -> worker.state = WorkerState.RUNNING;
            case WARMING -> {
                if (!ProcessSignals.suspend(worker.pid)) {
                    stop(worker);
                    return;
                }
                worker.state = WorkerState.WARM;
            }
            default -> {
                return;
            }
        }
        log.info("worker pid={} ready as {} model={} untrained={} ({})", worker.pid, ready.workerId(),
                ready.modelId(), ready.untrained(), worker.state == WorkerState.WARM ? "parked" : "serving");
    }

    private synchronized void onReadyTimeout(LocalWorker worker) {
        if (!worker.isReady() && workers.containsKey(worker.pid) && worker.state != WorkerState.STOPPING) {
            log.warn("worker pid={} printed no ready line within {}; stopping it", worker.pid, settings.readyTimeout());
            stop(worker);
        }
    }

    private synchronized void onExit(LocalWorker worker) {
        if (workers.remove(worker.pid) == null) {
            return;
        }
        int exitCode = worker.process.exitValue();
        if (worker.state == WorkerState.STOPPING) {
            log.info("worker pid={} stopped (exit code {})", worker.pid, exitCode);
        } else if (!worker.isReady()) {
            // Without a pause a worker that cannot start (bad jar, bad settings) would be relaunched at every decision.
            failedStarts++;
            long pauseMillis = Math.min(30_000, 500L << Math.min(failedStarts - 1, 6));
            launchesPausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis);
            log.warn("worker pid={} exited with code {} before it was ready; launches paused for {} ms (see its stderr)",
                    worker.pid, exitCode, pauseMillis);
        } else {
            log.warn("worker pid={} exited by itself while {} (exit code {})", worker.pid, worker.state, exitCode);
        }
    }

    /** A worker that is not ready yet is parked on arrival of its ready line instead. */
    private void park(LocalWorker worker) {
        if (!worker.isReady()) {
            worker.state = WorkerState.WARMING;
            return;
        }
        if (!ProcessSignals.suspend(worker.pid)) {
            stop(worker);
            return;
        }
        worker.state = WorkerState.WARM;
        log.info("worker pid={} parked in the warm pool", worker.pid);
    }

    /** SIGTERM lets the worker finish its message; a suspended worker only acts on it once continued. */
    private void stop(LocalWorker worker) {
        boolean suspended = worker.state == WorkerState.WARM;
        worker.state = WorkerState.STOPPING;
        worker.process.destroy();
        if (suspended) {
            ProcessSignals.resume(worker.pid);
        }
        timers.schedule(() -> {
            if (worker.process.isAlive()) {
                log.warn("worker pid={} ignored SIGTERM for {}; killing it", worker.pid, settings.stopGrace());
                worker.process.destroyForcibly();
            }
        }, settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean launchesAllowed() {
        return !closed && System.nanoTime() - launchesPausedUntilNanos >= 0;
    }

    private List<LocalWorker> oldestFirst(WorkerState state) {
        return workers.values().stream().filter(worker -> worker.state == state)
                .sorted(Comparator.comparing((LocalWorker worker) -> worker.startedAt)).toList();
    }

    private List<LocalWorker> newestFirst(WorkerState state) {
        return workers.values().stream().filter(worker -> worker.state == state)
                .sorted(Comparator.comparing((LocalWorker worker) -> worker.startedAt).reversed()).toList();
    }

    private int countOf(WorkerState state) {
        return (int) workers.values().stream().filter(worker -> worker.state == state).count();
    }

    @Override
    public void close() {
        List<Process> processes;
        synchronized (this) {
            closed = true;
            for (LocalWorker worker : List.copyOf(workers.values())) {
                if (worker.state != WorkerState.STOPPING) {
                    stop(worker);
                }
            }
            processes = workers.values().stream().map(worker -> worker.process).toList();
        }
        long deadline = System.nanoTime() + settings.stopGrace().toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (Process process : processes) {
            try {
                long left = deadline - System.nanoTime();
                if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        timers.shutdownNow();
    }
}
