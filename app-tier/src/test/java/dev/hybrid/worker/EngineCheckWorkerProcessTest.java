package dev.hybrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.worker.engine.EngineCheck;
import dev.hybrid.worker.engine.EngineVerdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped main class with the engine check, as a child process with a TorchScript model: the first
 * start checks and caches, and a start that finds a mismatch cached restarts itself with oneDNN limited
 * to SSE4.1, says so loudly and reports it in every reply.
 */
class EngineCheckWorkerProcessTest {
    private static final String MODEL = Path.of("src/test/resources/equivalence/tiny.pt").toAbsolutePath().toUri().toString();
    private static final String LABELS = Path.of("src/test/resources/equivalence/labels.txt").toAbsolutePath().toString();

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void killLeftover() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Map<String, String> workerEnv(LocalQueues local) {
        Map<String, String> env = local.workerEnvironment();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HYBRID_MODEL_URL", MODEL);
        env.put("HYBRID_MODEL_LABELS", LABELS);
        env.put("HYBRID_MODEL_PROFILE", "cse546");
        env.put("HYBRID_ENGINE_CHECK_DIR", dir.resolve("engine-check").toString());
        env.put("HYBRID_WORKER_ID", "w-engine");
        return env;
    }

    /** Starts the worker, waits for its ready line, classifies one image and returns the reply. */
    private ClassifyResponse startAndClassify(LocalQueues local, Map<String, String> env, String log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName())
                .redirectError(dir.resolve(log).toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        process = builder.start();
        LinkedBlockingQueue<String> lines = ChildStdout.lines(process);
        long started = System.nanoTime();
        String ready = lines.poll(5, TimeUnit.MINUTES);
        System.out.printf("%s: ready after %d ms%n", log, (System.nanoTime() - started) / 1_000_000);
        assertNotNull(ready, () -> "no ready line; stderr: " + read(log));
        assertTrue(ready.startsWith("hybrid-worker ready worker=w-engine model=tiny-cse546 "), ready);
        ClassifyRequest request = local.send(log + ".png", Files.readAllBytes(Path.of("src/test/resources/equivalence/rgb-64x64.png")));
        ClassifyResponse reply = local.awaitReplies(1, Duration.ofMinutes(2)).get(request.requestId());
        assertNotNull(reply, () -> "no reply; stderr: " + read(log));
        process.destroy();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "exited after SIGTERM");
        assertEquals(0, process.exitValue(), () -> read(log));
        assertTrue(lines.isEmpty(), "nothing but the ready line on stdout: " + lines);
        return reply;
    }

    private String read(String log) {
        try {
            return Files.readString(dir.resolve(log));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void theFirstStartChecksAndAStartThatFindsAMismatchServesWithSse41() throws Exception {
        try (LocalQueues local = new LocalQueues(30)) {
            Map<String, String> env = workerEnv(local);
            EngineCheck check = EngineCheck.of(MODEL, LABELS, "cse546", env);
            assertEquals(Optional.empty(), check.cached());

            ClassifyResponse first = startAndClassify(local, env, "first.log");
            EngineVerdict verdict = check.cached().orElseThrow(() -> new AssertionError("no verdict cached: " + read("first.log")));
            assertTrue(read("first.log").contains("engine check: "), read("first.log"));
            // What this CPU's default instruction set does with the tiny model decides the first reply's field.
            assertEquals(verdict.differs() ? ClassifyResponse.ENGINE_SAFE_ISA : ClassifyResponse.ENGINE_VERIFIED, first.engine(), verdict.detail());

            check.record(new EngineVerdict(EngineVerdict.Kind.DIFFERS, 1.09, 0.0153, "default instruction set computed wrong logits (recorded by the test)"));
            ClassifyResponse second = startAndClassify(local, env, "second.log");
            assertEquals(ClassifyResponse.ENGINE_SAFE_ISA, second.engine(), read("second.log"));
            assertTrue(read("second.log").contains("ENGINE COMPUTES WRONG LOGITS"), read("second.log"));
            assertTrue(read("second.log").contains("serving with DNNL_MAX_CPU_ISA=SSE41"), read("second.log"));
            assertEquals(first.label(), second.label());
        }
    }
}
