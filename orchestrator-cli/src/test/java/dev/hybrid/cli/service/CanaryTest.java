package dev.hybrid.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The canary against a stand-in web tier on loopback: what it prints for each way a classification can end. */
class CanaryTest {
    private static final byte[] IMAGE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00};
    private HttpServer server;
    private final AtomicReference<String> requestBody = new AtomicReference<>();
    private final AtomicReference<String> query = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI webTier(int status, String contentType, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/classify", exchange -> {
            requestBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1));
            query.set(exchange.getRequestURI().getQuery());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Test
    void aPassingCanaryNamesTheLabelTheWorkerAndAnUntrainedModelLoudly() throws Exception {
        URI web = webTier(200, "application/json", """
                {"name":"canary-1.jpg","label":"bathtub","top5":[],"modelId":"untrained-resnet18","workerId":"host-4242",
                 "requestId":"r1","cached":false}""");

        Canary.Result result = new Canary().run(web, "canary-1.jpg", IMAGE, Duration.ofSeconds(10));

        assertTrue(result.ok(), result.toString());
        assertEquals("bathtub", result.label());
        assertEquals("host-4242", result.worker());
        assertEquals("untrained-resnet18", result.model());
        assertTrue(result.untrained());
        assertTrue(result.millis() >= 0);
        assertEquals("reply=json", query.get(), "the canary asks for the JSON reply, which names the worker and the model");
        assertTrue(requestBody.get().contains("filename=\"canary-1.jpg\""), requestBody.get());
        List<String> lines = result.lines();
        assertTrue(lines.get(0).startsWith("canary    ok at ") && lines.get(0).contains("label bathtub in "), lines.toString());
        assertEquals("  worker  host-4242", lines.get(1));
        assertTrue(lines.get(2).contains("UNTRAINED MODEL"), lines.toString());
        assertEquals("untrained-resnet18", result.toJson().get("model").asText());
        assertTrue(result.toJson().get("untrained").asBoolean());
    }

    @Test
    void aTrainedModelIsShownPlainly() throws Exception {
        URI web = webTier(200, "application/json", "{\"label\":\"tabby\",\"modelId\":\"resnet18-imagenet\",\"workerId\":\"w-1\"}");
        Canary.Result result = new Canary().run(web, "c.jpg", IMAGE, Duration.ofSeconds(10));
        assertEquals("  model   resnet18-imagenet", result.lines().get(2));
        assertFalse(result.untrained());
    }

    @Test
    void aWorkerErrorIsTheFiveHundredsBodyInOneLine() throws Exception {
        URI web = webTier(502, "text/plain", "classification failed: the model could not be loaded\nsecond line\n");

        Canary.Result result = new Canary().run(web, "c.jpg", IMAGE, Duration.ofSeconds(10));

        assertFalse(result.ok());
        assertEquals(Canary.Failure.WORKER_ERROR, result.failure());
        assertEquals("HTTP 502 classification failed: the model could not be loaded", result.message());
        assertTrue(result.failureLine().startsWith("canary failed (worker error): HTTP 502 classification failed"), result.failureLine());
        assertFalse(result.failureLine().contains("\n"));
        assertNull(result.label());
    }

    @Test
    void aWebTierThatGivesUpOnTheWorkersIsATimeout() throws Exception {
        URI web = webTier(504, "text/plain", "no answer within 300 s; try again later\n");
        Canary.Result result = new Canary().run(web, "c.jpg", IMAGE, Duration.ofSeconds(10));
        assertEquals(Canary.Failure.TIMEOUT, result.failure(), result.toString());
    }

    @Test
    void noAnswerWithinTheCanaryTimeoutIsATimeout() throws Exception {
        // Accepts the connection and never answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI web = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
            Canary.Result result = new Canary().run(web, "c.jpg", IMAGE, Duration.ofMillis(300));
            assertEquals(Canary.Failure.TIMEOUT, result.failure(), result.toString());
            assertTrue(result.message().startsWith("no answer to the canary image within 0 s"), result.message());
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Canary.Result result = new Canary().run(URI.create("http://127.0.0.1:" + port + "/"), "c.jpg", IMAGE, Duration.ofSeconds(5));
        assertEquals(Canary.Failure.UNREACHABLE, result.failure(), result.toString());
    }

    @Test
    void aReplyThatIsNotTheWebTiersJsonIsRejected() throws Exception {
        URI web = webTier(200, "text/plain", "bathtub");
        Canary.Result result = new Canary().run(web, "c.jpg", IMAGE, Duration.ofSeconds(5));
        assertEquals(Canary.Failure.REJECTED, result.failure(), result.toString());
    }

    @Test
    void theLastCanaryIsRecordedAndReadBackAndForgotten(@TempDir Path stackDir) {
        Canary.Result passed = new Canary.Result("2026-01-01T00:00:00Z", URI.create("http://203.0.113.5:8080/"), true, "bathtub", 812L,
                "host-1", "untrained-resnet18", false, null, null);
        Canary.record(stackDir, passed);
        assertEquals(passed, Canary.last(stackDir).orElseThrow());

        Canary.Result failed = Canary.Result.failed(Instant.parse("2026-01-02T00:00:00Z"), URI.create("http://203.0.113.5:8080/"),
                Canary.Failure.UNHEALTHY, null, "the web tier was not healthy within 300 s");
        Canary.record(stackDir, failed);
        Canary.Result read = Canary.last(stackDir).orElseThrow();
        assertEquals(failed, read);
        assertEquals("unhealthy", read.toJson().get("failure").asText());
        assertTrue(read.lines().get(0).startsWith("canary    FAILED (unhealthy) at 2026-01-02T00:00:00Z"), read.lines().toString());

        Canary.forget(stackDir);
        assertTrue(Canary.last(stackDir).isEmpty());
    }
}
