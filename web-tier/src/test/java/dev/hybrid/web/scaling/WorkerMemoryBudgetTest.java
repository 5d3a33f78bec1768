package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerMemoryBudgetTest {
    private static final long GB = 1024L * 1024 * 1024;

    @Test
    void theMachineLessTheReserveIsSharedByTheMostWorkersThatMayRun() {
        assertEquals((24 * 1024 - 2048) / 2, LocalProcessSettings.workerMemoryBudgetMb(24 * GB, 2));
        assertEquals((24 * 1024 - 2048) / 20, LocalProcessSettings.workerMemoryBudgetMb(24 * GB, 20));
        assertEquals(768, LocalProcessSettings.workerMemoryBudgetMb(4 * GB, 20), "never under the minimum");
        assertEquals(24 * 1024 - 2048, LocalProcessSettings.workerMemoryBudgetMb(24 * GB, 0), "no autoscaler: one worker");
    }

    @Test
    void theHeapIsAnEighthOfTheBudgetBetween256MbAnd2Gb() {
        assertEquals(256, LocalProcessSettings.workerHeapMb(768));
        assertEquals(1376, LocalProcessSettings.workerHeapMb(11_008));
        assertEquals(2048, LocalProcessSettings.workerHeapMb(64 * 1024));
    }

    @Test
    void aBudgetInTheEnvironmentBecomesTheWorkersHeapLimit(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("worker.jar"), new byte[] {1});
        var settings = LocalProcessSettings.forWorkerJar(jar, Map.of("HYBRID_WORKER_MEMORY_MB", "4096"), 0);
        assertTrue(settings.command().contains("-Xmx512m"), settings.command()::toString);
        assertEquals("4096", settings.environment().get("HYBRID_WORKER_MEMORY_MB"));
        assertFalse(LocalProcessSettings.forWorkerJar(jar, Map.of(), 0).command().stream().anyMatch(o -> o.startsWith("-Xmx")));
    }
}
