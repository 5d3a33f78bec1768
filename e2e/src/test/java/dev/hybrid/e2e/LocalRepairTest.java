package dev.hybrid.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.HybridMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code up --local} does for a stack that is down in part or kept on disk, over the real jars, on one stack: a
 * teardown that keeps the data and an up that uses it; a web tier killed, emulators killed, a web tier hung (SIGSTOP),
 * each repaired by restarting that process alone; a kept emulator port taken by another process. The stack has one base
 * worker and no elastic ones, so a worker runs throughout and its pid shows whether it survived a repair.
 */
class LocalRepairTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STACK = "e2erepair";

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private Map<String, String> env;
    private Path state;
    private Path images;
    private int port;

    private Run hybrid(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of(args), Stream.of("--stack=" + STACK)).toArray(String[]::new);
        int code = HybridMain.commandLine(new HybridMain(env), new PrintWriter(out, true), new PrintWriter(err, true)).execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void keptDataIsUsedAndUpRepairsOnlyWhatDied(@TempDir Path state, @TempDir Path images) throws Exception {
        this.state = state;
        this.images = images;
        env = new HashMap<>(System.getenv());
        env.put("HYBRID_HOME", Pipeline.REPO.toString());
        env.put("HYBRID_STATE_DIR", state.toString());
        env.remove("HYBRID_URL");
        env.remove("HYBRID_WORKER_MEMORY_MB");
        port = Pipeline.freePort();
        try {
            JsonNode first = up();
            statusShowsTheDerivedMemoryBudget();
            String label = classify("kept", 1);
            JsonNode kept = teardownKeepingDataThenUpAgain(first, label);
            JsonNode webRepaired = webTierKilledIsRestartedAlone(kept);
            JsonNode emulatorsRepaired = emulatorsKilledAreRestartedUnderTheRunningWebTier(webRepaired);
            JsonNode hungRepaired = aHungWebTierIsEndedAndRestarted(emulatorsRepaired);
            JsonNode hungEmulatorsRepaired = hungEmulatorsAreEndedAndRestartedUnderTheRunningWebTier(hungRepaired);
            aTakenEmulatorPortMovesTheEmulatorsAndEverythingFollows(hungEmulatorsRepaired, label);
        } finally {
            hybrid("teardown", "--local");
        }
    }

    private JsonNode up(String... extra) throws Exception {
        String[] args = Stream.concat(Stream.of("up", "--local", "-d", "--port", Integer.toString(port), "--workers-max", "0",
                "--base-workers", "1", "-o", "json"), Stream.of(extra)).toArray(String[]::new);
        Run up = hybrid(args);
        assertEquals(0, up.exitCode(), up.out() + up.err());
        awaitWorker();
        return up.json();
    }

    private JsonNode status() throws Exception {
        Run status = hybrid("status", "--local", "-o", "json");
        return status.json();
    }

    /** The base worker starts with the web tier; its model loads in a few seconds. */
    private long awaitWorker() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            JsonNode status = status();
            if (status.get("workers").size() > 0) {
                return status.get("workers").get(0).get("pid").asLong();
            }
            assertTrue(System.nanoTime() < deadline, "no worker after 180 s: " + status);
            Thread.sleep(500);
        }
    }

    private void statusShowsTheDerivedMemoryBudget() throws Exception {
        long machineMb = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024 * 1024);
        long budget = Math.max(768, machineMb - 2048);
        JsonNode memory = status().get("workerMemory");
        assertEquals(budget, memory.get("budgetMb").asLong(), memory.toString());
        assertEquals(Math.max(256, Math.min(2048, budget / 8)), memory.get("heapMb").asLong(), memory.toString());
        assertEquals("derived", memory.get("source").asText());
        assertEquals(1, memory.get("workers").asInt(), "--workers-max 0 plus --base-workers 1");
        Run text = hybrid("status", "--local");
        assertTrue(text.out().contains("memory    " + budget + " MB per worker (-Xmx" + memory.get("heapMb").asLong() + "m), derived from "
                + "this machine's " + machineMb + " MB less 2048 MB"), text.out());
    }

    /** Classifies one generated image (seed) and returns its label. */
    private String classify(String name, long seed) throws Exception {
        Path image = images.resolve(name + ".jpg");
        Files.write(image, GeneratedImages.image(seed, 64, 64, "jpg"));
        Run classify = hybrid("classify", image.toString(), "--timeout", "300", "-o", "json");
        assertEquals(0, classify.exitCode(), classify.out() + classify.err());
        JsonNode result = classify.json().get("results").get(0);
        assertTrue(result.hasNonNull("label"), result.toString());
        return result.get("label").asText();
    }

    private long cacheHits() throws Exception {
        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith("hybrid_cache_lookups_total{result=\"hit\"}"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void kill(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor());
    }

    private static void killAndWait(long pid) throws Exception {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    /**
     * teardown --keep-data stops every process and keeps the objects; the next up, here with --memory-budget, answers the
     * same image from the kept result (a cache hit, no worker involved) and classifies a new one.
     */
    private JsonNode teardownKeepingDataThenUpAgain(JsonNode first, String label) throws Exception {
        byte[] bytes = GeneratedImages.image(1, 64, 64, "jpg");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Run teardown = hybrid("teardown", "--local", "--keep-data", "-o", "json");
        assertEquals(0, teardown.exitCode(), teardown.out() + teardown.err());
        assertFalse(alive(first.get("webPid").asLong()) || alive(first.get("emulatorPid").asLong()), "teardown stopped both");
        try (Stream<Path> files = Files.walk(state.resolve("local").resolve(STACK).resolve("s3"))) {
            assertTrue(files.anyMatch(file -> file.getFileName().toString().equals(sha)), "the result is kept on disk under its hash");
        }

        JsonNode again = up("--memory-budget", "3072");
        assertTrue(again.get("changed").asBoolean());
        assertEquals(0, cacheHits());
        assertEquals(label, classify("kept", 1), "the same image, answered from the kept result");
        assertEquals(1, cacheHits(), "the kept result was used, not a new classification");
        classify("new-after-keep", 2);

        JsonNode memory = status().get("workerMemory");
        assertEquals(3072, memory.get("budgetMb").asLong(), memory.toString());
        assertEquals(384, memory.get("heapMb").asLong(), memory.toString());
        assertEquals("--memory-budget", memory.get("source").asText());
        long worker = status().get("workers").get(0).get("pid").asLong();
        assertTrue(ProcessHandle.of(worker).orElseThrow().info().arguments().map(List::of).orElse(List.of()).contains("-Xmx384m"),
                "the worker runs with the heap status names");
        assertTrue(hybrid("status", "--local").out().contains("3072 MB per worker (-Xmx384m), set by --memory-budget"));
        return again;
    }

    /** kill -9 of the web tier: up starts it alone on its port; the emulators keep their pid. */
    private JsonNode webTierKilledIsRestartedAlone(JsonNode before) throws Exception {
        long webPid = before.get("webPid").asLong();
        long emulatorPid = before.get("emulatorPid").asLong();
        killAndWait(webPid);
        Run repair = hybrid("up", "--local", "-d", "-o", "json");
        assertEquals(0, repair.exitCode(), repair.out() + repair.err());
        JsonNode after = repair.json();
        assertEquals("gone", after.get("repaired").get("web").asText(), after.toString());
        assertTrue(after.get("repaired").get("emulators").isNull(), after.toString());
        assertEquals(emulatorPid, after.get("emulatorPid").asLong(), "the running emulators are kept");
        assertNotEquals(webPid, after.get("webPid").asLong());
        assertEquals("http://127.0.0.1:" + port, after.get("url").asText(), "the same port");
        Run text = hybrid("up", "--local", "-d");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("already runs"), "repaired means healthy: the next up changes nothing: " + text.out());
        awaitWorker();
        classify("after-web-repair", 3);
        return after;
    }

    /**
     * kill -9 of the emulators: up starts them alone on the same ports and walks the queues again; the web tier and its
     * worker keep their pids and go on serving.
     */
    private JsonNode emulatorsKilledAreRestartedUnderTheRunningWebTier(JsonNode before) throws Exception {
        long webPid = before.get("webPid").asLong();
        long emulatorPid = before.get("emulatorPid").asLong();
        long worker = awaitWorker();
        killAndWait(emulatorPid);
        long began = System.nanoTime();
        Run repair = hybrid("up", "--local", "-d", "-o", "json");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertEquals(0, repair.exitCode(), repair.out() + repair.err());
        JsonNode after = repair.json();
        assertEquals("gone", after.get("repaired").get("emulators").asText(), after.toString());
        assertTrue(after.get("repaired").get("web").isNull(), after.toString());
        assertEquals(webPid, after.get("webPid").asLong(), "the running web tier is kept");
        assertNotEquals(emulatorPid, after.get("emulatorPid").asLong());
        assertEquals(before.get("sqsEndpoint").asText(), after.get("sqsEndpoint").asText(), "the same SQS port");
        assertEquals(before.get("s3Endpoint").asText(), after.get("s3Endpoint").asText(), "the same S3 port");
        classify("after-emulator-repair", 4);
        JsonNode status = status();
        assertEquals(worker, status.get("workers").get(0).get("pid").asLong(), "the worker lived through the emulators' restart");
        assertTrue(status.get("workers").get(0).get("imagesDone").asInt() >= 1, "and classified after it: " + status);
        System.out.printf("repair of killed emulators under a running web tier: %d ms (up, wall clock)%n", millis);
        return after;
    }

    /** A web tier that lives but does not answer (SIGSTOP) is ended by its recorded pid and started again. */
    private JsonNode aHungWebTierIsEndedAndRestarted(JsonNode before) throws Exception {
        long webPid = before.get("webPid").asLong();
        long emulatorPid = before.get("emulatorPid").asLong();
        kill("-STOP", webPid);
        long began = System.nanoTime();
        Run repair = hybrid("up", "--local", "-d", "-o", "json");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertEquals(0, repair.exitCode(), repair.out() + repair.err());
        JsonNode after = repair.json();
        assertEquals("not answering", after.get("repaired").get("web").asText(), after.toString());
        assertFalse(alive(webPid), "the hung web tier was ended");
        assertEquals(emulatorPid, after.get("emulatorPid").asLong());
        awaitWorker();
        classify("after-hung-web", 5);
        System.out.printf("repair of a hung (SIGSTOPped) web tier: %d ms (up, wall clock)%n", millis);
        return after;
    }

    /**
     * Emulators that live but do not answer (SIGSTOP) are ended by their recorded pid and started again; the web tier, whose
     * /healthz waits on them meanwhile, is kept because its upload page still answers.
     */
    private JsonNode hungEmulatorsAreEndedAndRestartedUnderTheRunningWebTier(JsonNode before) throws Exception {
        long webPid = before.get("webPid").asLong();
        long emulatorPid = before.get("emulatorPid").asLong();
        kill("-STOP", emulatorPid);
        long began = System.nanoTime();
        Run repair = hybrid("up", "--local", "-d", "-o", "json");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertEquals(0, repair.exitCode(), repair.out() + repair.err());
        JsonNode after = repair.json();
        assertEquals("not answering", after.get("repaired").get("emulators").asText(), after.toString());
        assertTrue(after.get("repaired").get("web").isNull(), after.toString());
        assertFalse(alive(emulatorPid), "the hung emulators were ended");
        assertEquals(webPid, after.get("webPid").asLong(), "the web tier is kept");
        assertEquals(before.get("sqsEndpoint").asText(), after.get("sqsEndpoint").asText(), "the same SQS port");
        classify("after-hung-emulators", 7);
        System.out.printf("repair of hung (SIGSTOPped) emulators under a running web tier: %d ms (up, wall clock)%n", millis);
        return after;
    }

    /**
     * After teardown --keep-data another process takes the kept SQS port: up starts the emulators on a free one, says so in
     * a line, and every place that names the endpoint follows (the record, the kept ports, the state, the web tier's
     * environment); the kept data is still used.
     */
    private void aTakenEmulatorPortMovesTheEmulatorsAndEverythingFollows(JsonNode before, String label) throws Exception {
        int oldSqs = URI.create(before.get("sqsEndpoint").asText()).getPort();
        assertEquals(0, hybrid("teardown", "--local", "--keep-data").exitCode());
        try (ServerSocket squatter = new ServerSocket(oldSqs, 1, InetAddress.getLoopbackAddress())) {
            Run up = hybrid("up", "--local", "-d", "--port", Integer.toString(port), "--workers-max", "0", "--base-workers", "1");
            assertEquals(0, up.exitCode(), up.out() + up.err());
            assertTrue(up.out().contains("the emulators' former ports (SQS " + oldSqs + ", "), up.out());
            JsonNode status = status();
            String sqs = status.get("sqsEndpoint").asText();
            int newSqs = URI.create(sqs).getPort();
            assertNotEquals(oldSqs, newSqs);
            Path dir = state.resolve("local").resolve(STACK);
            assertEquals(newSqs, JSON.readTree(dir.resolve("emulator-ports.json").toFile()).get("sqs").asInt());
            String cached = Files.readString(dir.resolve("state").resolve(STACK).resolve("state.json"));
            assertTrue(cached.contains("127.0.0.1:" + newSqs + "/") && !cached.contains("127.0.0.1:" + oldSqs + "/"), cached);
            String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(status.get("webPid").asLong()), "environ")),
                    StandardCharsets.UTF_8);
            assertTrue(environ.contains("AWS_ENDPOINT_URL_SQS=" + sqs + "\0"), "the web tier calls the new port");
            assertTrue(environ.contains("HYBRID_REQUEST_QUEUE_URL=http://127.0.0.1:" + newSqs + "/"), "and its queues are there");
            awaitWorker();
            assertEquals(label, classify("kept", 1));
            assertEquals(1, cacheHits(), "the kept result is still used");
            classify("after-port-move", 6);
        }
    }
}
