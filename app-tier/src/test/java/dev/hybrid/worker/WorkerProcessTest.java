package dev.hybrid.worker;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.contract.ClassifyRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The worker as a child process, as the local compute provider and systemd run it. */
class WorkerProcessTest {
    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void killLeftover() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start(Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        process = builder.start();
        return process;
    }

    private static List<String> standInWorker() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StandInWorkerMain.class.getName());
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    @Test
    void sigtermFinishesTheBatchInHandAndExitsZero() throws Exception {
        // 10 s: with 2 s a heartbeat delayed by a loaded machine let the worker's next poll receive the request again.
        try (LocalQueues local = new LocalQueues(10)) {
            Map<String, String> env = local.workerEnvironment();
            env.put(StandInWorkerMain.DELAY_VARIABLE, "4000");
            env.put("HYBRID_WORKER_ID", "w-child");
            Process child = start(env, standInWorker());
            var lines = ChildStdout.lines(child);
            String ready = lines.poll(60, TimeUnit.SECONDS);
            assertEquals("hybrid-worker ready worker=w-child model=stand-in untrained=false", ready, stderrOnFailure());

            ClassifyRequest request = local.send("inflight.png", StandInClassifier.fakePng(33));
            long deadline = System.currentTimeMillis() + 20_000;
            while (local.count(local.requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 0
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            // Invisible means received; the batch is in hand only once the loop has taken it, a moment later. A batch
            // the stop catches between the two is handed back to the queue, not finished, so stop 1 s into the 4 s pass.
            Thread.sleep(1000);
            child.destroy(); // SIGTERM, while the 4 s forward pass runs
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "exited");
            assertEquals(0, child.exitValue(), stderr());
            assertEquals("label-33", local.awaitReplies(1, Duration.ofSeconds(5)).get(request.requestId()).label());
            assertEquals(0, local.count(local.requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                    + local.count(local.requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), "answered and deleted; its log: " + stderr());
            assertTrue(stderr().contains("worker w-child: 1 requests answered, 0 malformed dropped"), stderr());
        }
    }

    /**
     * The scale-in the autoscaler does: SIGTERM to an idle worker whose long poll is open, and a request that arrives a
     * second later. The poll takes it; the stopping worker must hand it back before it exits, or it stays invisible for
     * the visibility timeout (60 s here; 120 s was measured with the stack's own queue).
     */
    @Test
    void aRequestArrivingJustAfterSigtermIsHandedBackNotHeldForTheVisibilityTimeout() throws Exception {
        try (LocalQueues local = new LocalQueues(60)) {
            Map<String, String> env = local.workerEnvironment();
            env.put("HYBRID_WORKER_ID", "w-scale-in");
            Process child = start(env, standInWorker());
            assertEquals("hybrid-worker ready worker=w-scale-in model=stand-in untrained=false",
                    ChildStdout.lines(child).poll(60, TimeUnit.SECONDS), stderrOnFailure());
            Thread.sleep(1000); // the loop's 20 s long poll is open
            child.destroy(); // SIGTERM, as the autoscaler stops a worker
            Thread.sleep(1000);
            long sent = System.nanoTime();
            ClassifyRequest request = local.send("after-stop.png", StandInClassifier.fakePng(12));
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "exited");
            assertEquals(0, child.exitValue(), stderr());
            int visible = local.count(local.requests, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            String stoppedLog = stderr();

            System.setProperty("aws.accessKeyId", dev.hybrid.localaws.LocalAws.ACCESS_KEY_ID);
            System.setProperty("aws.secretAccessKey", dev.hybrid.localaws.LocalAws.SECRET_ACCESS_KEY);
            var settings = new WorkerSettings(local.requests, local.responses, "input-bucket", "output-bucket",
                    dev.hybrid.localaws.LocalAws.REGION, local.aws.sqsEndpoint(), local.aws.s3Endpoint(), true, 1, 10, 20, Duration.ZERO, null,
                    "w-other");
            try (Worker other = new Worker(settings, WorkerAwsClients.create(settings), new StandInClassifier(Duration.ZERO)).start()) {
                var reply = local.awaitReplies(1, Duration.ofSeconds(90)).get(request.requestId());
                System.out.printf("scale-in: the request sent 1 s after SIGTERM was answered %.1f s after it was sent%n",
                        (System.nanoTime() - sent) / 1e9);
                assertEquals("label-12", reply.label());
                other.stop(Duration.ofSeconds(25));
            }
            assertEquals(1, visible, "visible again once the stopped worker is gone, not held by its poll; its log: " + stoppedLog);
        }
    }

    @Test
    void badConfigurationIsOneLineOnStderrAndExitTwo() throws Exception {
        Process child = start(Map.of("HYBRID_REQUEST_QUEUE_URL", "http://127.0.0.1:1/q"), List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, child.exitValue());
        assertEquals("hybrid-worker: missing --response-queue-url: set the flag or HYBRID_RESPONSE_QUEUE_URL\n", stderr());
        assertEquals("", new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private String stderrOnFailure() {
        try {
            return stderr();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
