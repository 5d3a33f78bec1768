package dev.hybrid.worker;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.ErrorCode;
import dev.hybrid.worker.model.LargePng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files that drove workers out of memory, a 13000x13000 PNG of 164 KB and a 4000x4000 PNG of 16 KB, sent to
 * the real worker as a child process with the real (untrained) model and a memory budget of 2048 MB and the heap the
 * local compute provider would give it, while its resident set is sampled from /proc.
 */
@EnabledOnOs(OS.LINUX)
class LargeImageWorkerProcessTest {
    private static final long BUDGET_MB = 2048;

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void killLeftover() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theCse546ProfileRefusesBothAtOnceAndStaysWithinItsBudget() throws Exception {
        try (LocalQueues local = new LocalQueues(30)) {
            Run run = send(local, "cse546");
            for (ClassifyRequest request : run.requests) {
                ClassifyResponse reply = run.replies.get(request.requestId());
                assertNotNull(reply, () -> request.name() + " not answered; stderr: " + stderr());
                assertNotNull(reply.error(), request.name());
                assertEquals(ErrorCode.IMAGE_TOO_LARGE, reply.error().code(), reply.error()::message);
            }
            assertTrue(run.replies.get(run.requests.get(0).requestId()).error().message()
                    .startsWith("image is 13000x13000 = 169.0 Mpx; the cse546 profile classifies images at their own size, and this "
                            + "worker's memory budget of 2048 MB takes at most"), () -> run.replies.toString());
            run.finish();
        }
    }

    @Test
    void theImagenetProfileClassifiesBothSubsampledWithinItsBudget() throws Exception {
        try (LocalQueues local = new LocalQueues(30)) {
            Run run = send(local, "imagenet");
            for (ClassifyRequest request : run.requests) {
                ClassifyResponse reply = run.replies.get(request.requestId());
                assertNotNull(reply, () -> request.name() + " not answered; stderr: " + stderr());
                assertNull(reply.error(), () -> request.name() + ": " + reply.error());
                assertNotNull(reply.label());
            }
            run.finish();
        }
    }

    private final class Run {
        final List<ClassifyRequest> requests = new ArrayList<>();
        Map<String, ClassifyResponse> replies;
        final AtomicLong peakRssKb = new AtomicLong();
        long pid;
        String profile;

        /** Asserts the resident set stayed under the budget and the worker is the one that started, then stops it. */
        void finish() throws Exception {
            System.out.printf("%s, budget %d MB: peak resident set %d MB while the two images were handled%n", profile, BUDGET_MB,
                    peakRssKb.get() / 1024);
            assertTrue(peakRssKb.get() > 0, "sampled");
            assertTrue(peakRssKb.get() / 1024 < BUDGET_MB, () -> "peak RSS " + peakRssKb.get() / 1024 + " MB over the budget");
            assertTrue(process.isAlive(), "no restart: the worker that took the images still runs");
            assertEquals(pid, process.pid());
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), LargeImageWorkerProcessTest.this::stderr);
        }
    }

    private Run send(LocalQueues local, String profile) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx" + BUDGET_MB / 8 + "m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("HYBRID_"));
        env.putAll(local.workerEnvironment());
        env.put("HYBRID_WORKER_ID", "w-large");
        env.put("HYBRID_WORKER_MEMORY_MB", Long.toString(BUDGET_MB));
        env.put("HYBRID_MODEL_PROFILE", profile);
        env.put("OPT_OUT_TRACKING", "true");
        process = builder.start();
        LinkedBlockingQueue<String> lines = ChildStdout.lines(process);
        assertNotNull(lines.poll(5, TimeUnit.MINUTES), () -> "no ready line; stderr: " + stderr());

        Run run = new Run();
        run.pid = process.pid();
        run.profile = profile;
        Path status = Path.of("/proc", Long.toString(run.pid), "status");
        Thread sampler = new Thread(() -> {
            while (process.isAlive()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmRSS:")) {
                            long kb = Long.parseLong(line.replaceAll("\\D", ""));
                            run.peakRssKb.accumulateAndGet(kb, Math::max);
                        }
                    }
                    Thread.sleep(50);
                } catch (IOException | InterruptedException | RuntimeException gone) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();

        byte[] huge = LargePng.grey(13_000, 13_000);
        byte[] large = LargePng.grey(4000, 4000);
        long started = System.nanoTime();
        run.requests.add(local.send("huge.png", huge));
        run.requests.add(local.send("large.png", large));
        run.replies = local.awaitReplies(2, Duration.ofMinutes(3));
        System.out.printf("%s, budget %d MB: 13000x13000 PNG (%d KB) and 4000x4000 PNG (%d KB) answered in %.1f s%n", profile, BUDGET_MB,
                huge.length / 1024, large.length / 1024, (System.nanoTime() - started) / 1e9);
        sampler.interrupt();
        return run;
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolve("stderr.txt"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
