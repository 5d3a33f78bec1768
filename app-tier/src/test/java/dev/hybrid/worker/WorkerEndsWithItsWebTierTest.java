package dev.hybrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.contract.ParentProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's own entry point as a child process (the stand-in model in place of DJL): told by
 * {@code HYBRID_PARENT_PID} which process launched it, it stops once that process is killed with
 * SIGKILL, and a value that is not a pid is a one-line configuration error.
 */
class WorkerEndsWithItsWebTierTest {
    @TempDir
    Path dir;
    private Process webTier;
    private Process worker;

    @AfterEach
    void killLeftovers() {
        for (Process process : new Process[] {webTier, worker}) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    private Process worker(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StandInWorkerMain.class.getName())
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    @Test
    void stopsWhenTheWebTierThatLaunchedItIsKilled() throws Exception {
        try (LocalQueues local = new LocalQueues(2)) {
            webTier = new ProcessBuilder("sleep", "600").start();
            Map<String, String> env = local.workerEnvironment();
            env.put(ParentProcess.PARENT_PID_ENV, Long.toString(webTier.pid()));
            env.put("HYBRID_WORKER_ID", "w-orphan");
            worker = worker(env);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("hybrid-worker ready worker=w-orphan model=stand-in untrained=false", out.readLine(),
                        () -> Files.exists(dir.resolve("stderr.txt")) ? read("stderr.txt") : "");
                assertTrue(worker.isAlive(), "serves while its web tier runs");

                webTier.destroyForcibly(); // SIGKILL
                long killed = System.nanoTime();
                // Generous for a loaded machine: the JDK polls a process that is not a child at most 5 s apart.
                assertTrue(worker.waitFor(90, TimeUnit.SECONDS), "the worker outlived its web tier: " + read("stderr.txt"));
                System.out.printf("worker ends with its web tier: exit %d, %.1f s after the SIGKILL%n", worker.exitValue(),
                        (System.nanoTime() - killed) / 1e9);
                assertEquals(0, worker.exitValue(), read("stderr.txt"));
                assertTrue(read("stderr.txt").contains("the web tier that launched this worker (HYBRID_PARENT_PID=" + webTier.pid()
                        + ") is gone: stopping"), read("stderr.txt"));
            }
        }
    }

    @Test
    void aParentPidThatIsNotAPidIsOneLineAndExitTwo() throws Exception {
        worker = worker(Map.of(ParentProcess.PARENT_PID_ENV, "web-tier"));
        assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, worker.exitValue());
        assertEquals(List.of("hybrid-worker: HYBRID_PARENT_PID must be a process id, not 'web-tier'"),
                Files.readAllLines(dir.resolve("stderr.txt")));
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
