package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real child processes: {@link FakeWorkerMain} stands in for the worker jar. */
class LocalProcessProviderTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET = "s3cr3t-never-in-arguments";

    private final List<LocalProcessProvider> providers = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        providers.forEach(LocalProcessProvider::close);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private LocalProcessProvider provider(int warmPoolSize, Map<String, String> extraEnvironment, Duration readyTimeout)
            throws URISyntaxException {
        Path testClasses = Path.of(FakeWorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, String> environment = new HashMap<>();
        environment.put("HYBRID_REQUEST_QUEUE_URL", "http://127.0.0.1:1/000000000000/requests");
        environment.put("AWS_SECRET_ACCESS_KEY", SECRET);
        environment.putAll(extraEnvironment);
        List<String> command = List.of(LocalProcessSettings.currentJava(), "-Xmx32m", "-XX:TieredStopAtLevel=1",
                "-cp", testClasses + java.io.File.pathSeparator + contractClasses(), FakeWorkerMain.class.getName());
        LocalProcessProvider provider = new LocalProcessProvider(new LocalProcessSettings(command, environment,
                warmPoolSize, readyTimeout, Duration.ofSeconds(5), null));
        providers.add(provider);
        return provider;
    }

    static Path contractClasses() throws URISyntaxException {
        return Path.of(dev.hybrid.contract.ParentProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private List<WorkerView> track(LocalProcessProvider provider) {
        List<WorkerView> workers = provider.workers();
        workers.forEach(worker -> pids.add(worker.pid()));
        return workers;
    }

    @Test
    void launchesAWorkerWithItsSettingsInTheEnvironmentAndStopsItWithSigterm() throws Exception {
        LocalProcessProvider provider = provider(0, Map.of(), WAIT);
        assertEquals(Duration.ZERO, provider.launchDelay(), "unknown until a worker has been ready");

        assertEquals(1, provider.activate(1));
        assertEquals(new FleetCounts(1, 0, 0, 0, 0), provider.counts(), "counted as starting at once");
        WorkerView launched = track(provider).get(0);
        Eventually.await(WAIT, () -> provider.counts().running() == 1, "the ready line moves the worker to running");
        assertTrue(provider.launchDelay().compareTo(Duration.ZERO) > 0, "launch-to-ready measured: " + provider.launchDelay());

        WorkerView ready = provider.workers().get(0);
        assertEquals(launched.pid(), ready.pid());
        assertEquals("fake-" + ready.pid(), ready.workerId(), "worker id parsed from the ready line");
        assertEquals("fake-model", ready.modelId());
        assertEquals(Boolean.TRUE, ready.untrained());
        assertNotNull(ready.startedAt());
        ProcessHandle handle = ProcessHandle.of(ready.pid()).orElseThrow();
        Optional<String> commandLine = handle.info().commandLine();
        commandLine.ifPresent(line -> assertFalse(line.contains(SECRET), "secret leaked into the arguments: " + line));

        assertEquals(1, provider.deactivate(1, false));
        Eventually.await(WAIT, () -> ProcessHandle.of(ready.pid()).isEmpty() || !handle.isAlive(), "SIGTERM ends the worker");
        Eventually.await(WAIT, () -> provider.counts().live() == 0, "the exit is noticed");
        assertTrue(provider.workers().isEmpty());
    }

    @Test
    void parksReadyWorkersWithSigstopAndResumesThemBeforeLaunchingNewOnes() throws Exception {
        LocalProcessProvider provider = provider(2, Map.of(), WAIT);

        assertEquals(2, provider.replenishWarmPool(20));
        assertEquals(2, provider.counts().warming());
        Eventually.await(WAIT, () -> provider.counts().warm() == 2, "both pool workers parked after their ready line");
        List<WorkerView> parked = track(provider);
        for (WorkerView worker : parked) {
            // SIGSTOP is delivered asynchronously: on a busy machine /proc may still say R for a moment.
            Eventually.await(WAIT, () -> {
                try {
                    return processState(worker.pid()) == 'T';
                } catch (java.io.IOException e) {
                    return false;
                }
            }, "pid " + worker.pid() + " is suspended");
        }
        assertEquals(0, provider.replenishWarmPool(20), "the pool is full");

        assertEquals(3, provider.activate(3));
        List<WorkerView> afterActivation = track(provider);
        assertEquals(3, afterActivation.size(), "two resumed and only one launched");
        for (WorkerView worker : parked) {
            WorkerView now = afterActivation.stream().filter(w -> w.pid() == worker.pid()).findFirst().orElseThrow();
            assertEquals(WorkerState.RUNNING, now.state());
            assertNotEquals('T', processState(worker.pid()), "pid " + worker.pid() + " was continued");
        }
        assertEquals(new FleetCounts(1, 2, 0, 0, 0), provider.counts());

        Eventually.await(WAIT, () -> provider.counts().running() == 3, "the new worker becomes ready");
        assertEquals(3, provider.deactivate(3, true));
        assertEquals(new FleetCounts(0, 0, 1, 0, 2), provider.counts(), "two parked again, the third stopped");

        provider.close();
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true),
                    "pid " + pid + " still running after close, parked ones included");
        }
    }

    @Test
    void stopsAWorkerThatNeverReportsReady() throws Exception {
        LocalProcessProvider provider = provider(0, Map.of("FAKE_WORKER_MODE", "silent"), Duration.ofSeconds(2));

        provider.activate(1);
        long pid = track(provider).get(0).pid();
        Eventually.await(WAIT, () -> provider.counts().live() == 0, "the silent worker is stopped after the ready timeout");
        Eventually.await(WAIT, () -> ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true), "its process is gone");
    }

    @Test
    void noticesAWorkerThatExitsByItself() throws Exception {
        LocalProcessProvider provider = provider(0, Map.of("FAKE_WORKER_MODE", "exit"), WAIT);

        provider.activate(2);
        track(provider);
        Eventually.await(WAIT, () -> provider.counts().live() == 0, "idle-exited workers leave the counts");
    }

    @Test
    void aWorkerWithoutItsSettingsNeverBecomesReady() throws Exception {
        LocalProcessProvider provider = provider(0, Map.of("HYBRID_REQUEST_QUEUE_URL", ""), WAIT);

        provider.activate(1);
        track(provider);
        Eventually.await(WAIT, () -> provider.counts().live() == 0, "the worker exits with an error");
        assertEquals(0, provider.counts().running());
    }

    @Test
    void pausesLaunchesAfterAWorkerFailsBeforeItIsReady() throws Exception {
        LocalProcessProvider provider = provider(0, Map.of("FAKE_WORKER_MODE", "crash"), WAIT);

        assertEquals(1, provider.activate(1));
        track(provider);
        Eventually.await(WAIT, () -> provider.counts().live() == 0, "the crashing worker is gone");
        assertEquals(0, provider.activate(1), "no relaunch straight after a failed start");
        assertEquals(0, provider.replenishWarmPool(5));
        Eventually.await(WAIT, () -> provider.activate(1) == 1, "launches resume after the pause");
        track(provider);
    }

    @Test
    void aMissingWorkerJarIsReportedInOneLine() {
        IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LocalProcessSettings.forWorkerJar(Path.of("/nonexistent/hybrid-app-tier.jar"), Map.of(), 0));
        assertEquals("worker jar not found: /nonexistent/hybrid-app-tier.jar (build it with: mvn -B -pl app-tier package)",
                error.getMessage());
    }

    /** The state letter from /proc/<pid>/stat: T when stopped by a signal. */
    private static char processState(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
    }
}
