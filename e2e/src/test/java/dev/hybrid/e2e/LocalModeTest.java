package dev.hybrid.e2e;

import static dev.hybrid.e2e.InProcessHybrid.hybrid;
import static dev.hybrid.e2e.InProcessHybrid.localEnv;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hybrid.worker.model.Classifiers;
import dev.hybrid.worker.model.ImageClassifier;
import dev.hybrid.worker.model.ModelSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.hybrid.e2e.InProcessHybrid.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hybrid up/status/classify/teardown --local} as a user runs them, over the real jars. */
class LocalModeTest {
    @Test
    void upStatusClassifyTeardownLifecycle(@TempDir Path state, @TempDir Path images) throws Exception {
        Map<String, String> env = localEnv(state);
        int port = Pipeline.freePort();
        String stack = "--stack=e2elocal";

        // No canary here: this test counts every image a worker does (CanaryLocalTest covers the canary).
        Run up = hybrid(env, "up", "--local", "-d", "--no-canary", "--port", Integer.toString(port), "--workers-max", "2", stack, "-o", "json");
        try {
            lifecycle(env, state, images, port, stack, up);
        } finally {
            // Whatever failed above, leave no process behind.
            hybrid(env, "teardown", "--local", stack);
        }
    }

    /** Private base capacity alone (no elastic workers): it runs before any request and serves them all. */
    @Test
    void baseWorkersRunFromTheStartAndServeTheQueue(@TempDir Path state, @TempDir Path images) throws Exception {
        Map<String, String> env = localEnv(state);
        String stack = "--stack=e2ebase";
        Run up = hybrid(env, "up", "--local", "-d", "--no-canary", "--port", Integer.toString(Pipeline.freePort()), "--workers-max", "0",
                "--base-workers", "1", stack, "-o", "json");
        try {
            assertEquals(0, up.exitCode(), up.err());
            JsonNode before = statusWhenAWorkerIsUp(env, stack);
            assertEquals(0, before.get("imagesDone").asInt());
            long basePid = before.get("workers").get(0).get("pid").asLong();
            for (int i = 0; i < 10; i++) {
                Files.write(images.resolve("base_" + i + ".jpg"), GeneratedImages.image(700 + i, 64, 64, "jpg"));
            }
            Run classify = hybrid(env, "classify", images.toString(), stack, "-o", "json");
            assertEquals(0, classify.exitCode(), classify.out() + classify.err());
            JsonNode after = hybrid(env, "status", "--local", stack, "-o", "json").json();
            assertEquals(10, after.get("imagesDone").asInt(), after.toString());
            assertEquals(1, after.get("workers").size(), "no elastic worker may start with --workers-max 0: " + after);
            assertEquals(basePid, after.get("workers").get(0).get("pid").asLong());
        } finally {
            hybrid(env, "teardown", "--local", stack);
        }
    }

    private JsonNode statusWhenAWorkerIsUp(Map<String, String> env, String stack) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (true) {
            JsonNode status = hybrid(env, "status", "--local", stack, "-o", "json").json();
            if (status.get("workers").size() > 0 || System.nanoTime() > deadline) {
                assertEquals(1, status.get("workers").size(), "the base worker starts with the web tier: " + status);
                return status;
            }
            Thread.sleep(250);
        }
    }

    private void lifecycle(Map<String, String> env, Path state, Path images, int port, String stack, Run up) throws Exception {
        assertEquals(0, up.exitCode(), up.err());
        JsonNode started = up.json();
        assertEquals("http://127.0.0.1:" + port, started.get("url").asText());
        long webPid = started.get("webPid").asLong();
        long emulatorPid = started.get("emulatorPid").asLong();
        assertTrue(ProcessHandle.of(webPid).isPresent() && ProcessHandle.of(emulatorPid).isPresent());
        assertTrue(Files.exists(state.resolve("local/e2elocal/local.json")), "pids and ports recorded");

        Run again = hybrid(env, "up", "--local", "-d", "--no-canary", stack, "-o", "json");
        assertEquals(0, again.exitCode(), again.err());
        assertFalse(again.json().get("changed").asBoolean(), "a second up changes nothing");
        assertEquals(webPid, again.json().get("webPid").asLong());

        Run clash = hybrid(env, "up", "--local", "-d", "--port", Integer.toString(port), "--stack=other");
        assertEquals(2, clash.exitCode(), clash.out() + clash.err());
        assertTrue(clash.err().contains("port " + port + " on 127.0.0.1 is in use"), clash.err());
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("EmulatorMain")
                        && p.info().commandLine().orElse("").contains(state.resolve("local/other").toString())),
                "the failed up stopped the emulators it had started");

        List<byte[]> bytes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bytes.add(GeneratedImages.image(500 + i, 64, 64, "jpg"));
            Files.write(images.resolve("test_" + i + ".JPEG"), bytes.get(i));
        }
        List<String> expected;
        try (ImageClassifier classifier = Classifiers.load(ModelSettings.of(null, null, "cse546"))) {
            expected = classifier.classify(bytes).stream().map(o -> ((ImageClassifier.Outcome.Labels) o).top5().get(0).label()).toList();
        }
        Run classify = hybrid(env, "classify", images.toString(), "--concurrency", "100", stack, "-o", "json");
        assertEquals(0, classify.exitCode(), classify.out() + classify.err());
        JsonNode results = classify.json().get("results");
        assertEquals(100, results.size());
        for (JsonNode result : results) {
            int index = Integer.parseInt(result.get("name").asText().replaceAll("\\D", ""));
            assertEquals(expected.get(index), result.get("label").asText(), result.toString());
        }

        Run status = hybrid(env, "status", "--local", stack, "-o", "json");
        assertEquals(0, status.exitCode(), status.err());
        assertEquals("http://127.0.0.1:" + port, status.json().get("url").asText());
        assertEquals("untrained", status.json().get("model").asText());
        assertEquals(100, status.json().get("imagesDone").asInt(), "every image was done by some worker: " + status.out());
        for (JsonNode worker : status.json().get("workers")) {
            assertTrue(worker.get("imagesDone").asInt() <= 100, worker.toString());
        }

        Run bench = hybrid(env, "bench", images.toString(), "-n", "20", "--tail", "0", "--compare-raw", "--raw-threads", "2",
                "--timeline", state.resolve("bench/run").toString(), stack, "-o", "json");
        assertEquals(0, bench.exitCode(), bench.out() + bench.err());
        JsonNode raw = bench.json().get("raw");
        assertEquals("untrained-resnet18", raw.get("modelId").asText(), raw.toString());
        assertTrue(raw.get("millis").asLong() > 0 && raw.get("ratio").asDouble() > 0, raw.toString());
        assertTrue(Files.size(state.resolve("bench/run.png")) > 0);

        classifyStaysCorrectWhenAWorkerIsKilledMidRun(env, images.resolve("second"), port, webPid, stack);

        Run missing = hybrid(env, "classify", images.resolve("no-such-folder").toString(), stack);
        assertEquals(2, missing.exitCode(), missing.err());
        Path notes = images.resolve("notes.png");
        Files.writeString(notes, "plain text in disguise");
        Run notImage = hybrid(env, "classify", notes.toString(), stack);
        assertEquals(3, notImage.exitCode(), notImage.out() + notImage.err());
        Run unreachable = hybrid(env, "classify", notes.toString(), "--url", "http://127.0.0.1:" + Pipeline.freePort(), stack);
        assertEquals(3, unreachable.exitCode(), unreachable.err());
        for (Run bad : List.of(missing, notImage, unreachable)) {
            assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.err());
        }

        List<Long> workers = ProcessHandle.of(webPid).stream().flatMap(ProcessHandle::descendants).map(ProcessHandle::pid).toList();
        Run teardown = hybrid(env, "teardown", "--local", stack, "-o", "json");
        assertEquals(0, teardown.exitCode(), teardown.err());
        for (long pid : concat(List.of(webPid, emulatorPid), workers)) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
        }
        assertFalse(Files.exists(state.resolve("local/e2elocal")), "local data removed");
    }

    /**
     * SIGKILL a worker as soon as the round's first reply is in, while the other 9x images are queued or in hand:
     * the killed worker's messages come back after the visibility timeout and every image still gets its label.
     */
    private void classifyStaysCorrectWhenAWorkerIsKilledMidRun(Map<String, String> env, Path folder, int port, long webPid, String stack)
            throws Exception {
        Files.createDirectories(folder);
        List<byte[]> bytes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bytes.add(GeneratedImages.image(900 + i, 64, 64, "jpg"));
            Files.write(folder.resolve("test_" + i + ".JPEG"), bytes.get(i));
        }
        List<String> expected;
        try (ImageClassifier classifier = Classifiers.load(ModelSettings.of(null, null, "cse546"))) {
            expected = classifier.classify(bytes).stream().map(o -> ((ImageClassifier.Outcome.Labels) o).top5().get(0).label()).toList();
        }
        java.net.URI metrics = java.net.URI.create("http://127.0.0.1:" + port + "/metrics");
        long before = repliesSoFar(metrics);
        java.util.concurrent.CompletableFuture<Run> classify = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                hybrid(env, "classify", folder.toString(), "--concurrency", "100", "--timeout", "600", stack, "-o", "json"));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(180);
        while (repliesSoFar(metrics) == before) {
            assertTrue(System.nanoTime() < deadline && !classify.isDone(), "no reply came in this round");
            Thread.sleep(20);
        }
        ProcessHandle victim = ProcessHandle.of(webPid).orElseThrow().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("hybrid-app-tier.jar")).findFirst()
                .orElseThrow(() -> new AssertionError("no worker process to kill"));
        victim.destroyForcibly();
        victim.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);

        Run run = classify.get(15, java.util.concurrent.TimeUnit.MINUTES);
        assertEquals(0, run.exitCode(), run.out() + run.err());
        JsonNode results = run.json().get("results");
        assertEquals(100, results.size());
        for (JsonNode result : results) {
            int index = Integer.parseInt(result.get("name").asText().replaceAll("\\D", ""));
            assertEquals(expected.get(index), result.get("label").asText(), result.toString());
        }
    }

    /** Replies the web tier has received from all workers, from its /metrics. */
    private static long repliesSoFar(java.net.URI metrics) throws Exception {
        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(metrics).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith("hybrid_worker_replies_total{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
