package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Real child processes: {@link FakeWorkerMain} stands in for the worker jar. */
class BaseCapacityTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void keepsItsWorkersAtStrengthAndStopsThemOnClose() throws Exception {
        Path testClasses = Path.of(FakeWorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        LocalProcessProvider provider = new LocalProcessProvider(new LocalProcessSettings(
                List.of(LocalProcessSettings.currentJava(), "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp",
                        testClasses + java.io.File.pathSeparator + LocalProcessProviderTest.contractClasses(), FakeWorkerMain.class.getName()),
                Map.of("HYBRID_REQUEST_QUEUE_URL", "http://127.0.0.1:1/000000000000/requests",
                        "AWS_SECRET_ACCESS_KEY", "test"),
                0, WAIT, Duration.ofSeconds(5), null));
        Set<Long> allPids;
        try (BaseCapacity base = new BaseCapacity(provider, 2, Duration.ofMillis(100)).start()) {
            Eventually.await(WAIT, () -> provider.counts().running() == 2, "two base workers ready");
            Set<Long> first = pids(provider);

            long victim = first.iterator().next();
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            Eventually.await(WAIT, () -> provider.counts().running() == 2 && !pids(provider).contains(victim),
                    "the lost worker is replaced");
            Set<Long> second = pids(provider);
            assertNotEquals(first, second);
            assertEquals(2, second.size());
            allPids = new java.util.HashSet<>(first);
            allPids.addAll(second);
        }
        for (long pid : allPids) {
            assertTrue(ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true), "pid " + pid + " left running");
        }
    }

    private static Set<Long> pids(LocalProcessProvider provider) {
        return provider.workers().stream().map(WorkerView::pid).collect(Collectors.toSet());
    }
}
