package dev.hybrid.cli.commands;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hybrid.cli.HybridMain;
import dev.hybrid.cli.HybridMainTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * classify and bench against an HTTP server on loopback that speaks the web tier's upload
 * protocol: one multipart file part in, a JSON reply with the label out.
 */
class WebTierCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path images;
    private HttpServer server;
    private final Set<String> uploadedHashes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    /** Guards inFlight against scrapes, so a scrape counted after a request arrived saw it in flight. */
    private final Object scrapeLock = new Object();
    private int scrapes;
    /** When set, a request is answered only after a /metrics scrape has seen it, so a sampled burst always shows. */
    private volatile boolean holdUntilScraped;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/classify", this::handle);
        server.createContext("/metrics", exchange -> {
            // A stand-in autoscaler: the backlog is what is in flight, one worker per two requests.
            int backlog;
            synchronized (scrapeLock) {
                backlog = inFlight.get();
                scrapes++;
            }
            byte[] body = ("# TYPE hybrid_backlog_messages gauge\nhybrid_backlog_messages " + backlog + ".0\n"
                    + "hybrid_workers_running " + (backlog + 1) / 2 + ".0\n"
                    + "hybrid_requests_total{status=\"200\"} 5.0\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Files.write(images.resolve("test_0.JPEG"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9});
        Files.write(images.resolve("test_1.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 4, 5, 6, (byte) 0xFF, (byte) 0xD9});
        Files.writeString(images.resolve("notes.txt"), "not an image");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int scrapesBefore;
        synchronized (scrapeLock) {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            scrapesBefore = scrapes;
        }
        try {
            waitForAScrapeAfter(scrapesBefore);
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.ISO_8859_1);
            String boundary = exchange.getRequestHeaders().getFirst("Content-Type").replaceFirst(".*boundary=", "");
            int headerEnd = text.indexOf("\r\n\r\n") + 4;
            int partEnd = text.indexOf("\r\n--" + boundary + "--");
            String fileName = text.replaceFirst("(?s).*filename=\"([^\"]*)\".*", "$1");
            byte[] file = java.util.Arrays.copyOfRange(body, headerEnd, partEnd);
            uploadedHashes.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
            Thread.sleep(30);
            int status = 200;
            String reply = "{\"label\":\"label-of-" + fileName.replaceFirst("\\..*", "") + "\",\"top5\":[]}";
            if (fileName.startsWith("broken")) {
                status = 500;
                reply = "worker failed\nsecond line";
            }
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (Exception e) {
            exchange.sendResponseHeaders(400, -1);
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private void waitForAScrapeAfter(int scrapesBefore) throws InterruptedException {
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (holdUntilScraped && System.nanoTime() < giveUp) {
            synchronized (scrapeLock) {
                if (scrapes > scrapesBefore) {
                    return;
                }
            }
            Thread.sleep(5);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private HybridMainTest.Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HybridMain.commandLine(new HybridMain(env), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new HybridMainTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void classifyPrintsTheLabelOfEveryImageInADirectory() throws Exception {
        HybridMainTest.Run text = run(Map.of("HYBRID_URL", url()), "classify", images.toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("test_0.JPEG\tlabel-of-test_0\t"), text.out());
        assertTrue(text.out().contains("test_1.jpg\tlabel-of-test_1\t"), text.out());
        assertFalse(text.out().contains("notes"), text.out());
        assertTrue(text.out().contains("2 images:\n  2 ok, 0 failed in "), text.out());
        assertTrue(text.out().matches("(?s).*latency p50 \\d+ ms  p90 \\d+ ms  p95 \\d+ ms  p99 \\d+ ms  max \\d+ ms.*"), text.out());

        JsonNode json = JSON.readTree(run(Map.of(), "classify", "--url", url(), "-o", "json", images.resolve("test_0.JPEG").toString()).out());
        assertTrue(json.get("ok").asBoolean());
        assertEquals("label-of-test_0", json.get("results").get(0).get("label").asText());
    }

    @Test
    void aFailedImageMakesExitCodeThreeAndTheOthersStillGetLabels() throws Exception {
        Files.write(images.resolve("broken.jpg"), new byte[] {1, 2, 3});
        HybridMainTest.Run run = run(Map.of(), "classify", "--url", url(), "-o", "json", images.toString());
        assertEquals(3, run.exitCode(), run.out() + run.err());
        JsonNode json = JSON.readTree(run.out());
        assertEquals(1, json.get("failed").asInt());
        assertEquals(3, json.get("images").asInt());
        assertEquals(3, json.get("requests").asInt());
        assertTrue(json.get("latencyMillis").has("p95"), json.toString());
        assertTrue(json.get("wallMillis").asLong() > 0, json.toString());
        JsonNode broken = json.get("results").get(0);
        assertEquals("broken.jpg", broken.get("name").asText());
        assertEquals("HTTP 500 worker failed", broken.get("error").asText());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, run(Map.of(), "classify", images.toString()).exitCode(), "no URL");
        assertEquals(2, run(Map.of(), "classify", "--url", "ftp://127.0.0.1", images.toString()).exitCode());
        assertEquals(2, run(Map.of(), "classify", "--url", url()).exitCode(), "no images");
        HybridMainTest.Run missing = run(Map.of(), "classify", "--url", url(), images.resolve("nope.jpg").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no such file"), missing.err());
        assertEquals(2, run(Map.of(), "bench", "--url", url(), "-c", "0", images.toString()).exitCode());
    }

    @Test
    void anUnreachableWebTierFailsEveryImageWithExitThree() {
        HybridMainTest.Run run = run(Map.of(), "classify", "--url", "http://127.0.0.1:1", images.toString());
        assertEquals(3, run.exitCode());
        assertTrue(run.out().contains("FAILED: cannot reach the web tier at http://127.0.0.1:1"), run.out());
    }

    @Test
    void benchPrintsFiguresSendsDistinctBytesAndKeepsToTheConcurrency() throws Exception {
        HybridMainTest.Run run = run(Map.of(), "bench", "--url", url(), "-n", "20", "-c", "3", "-o", "json", "--no-timeline", images.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = JSON.readTree(run.out());
        assertEquals(20, json.get("requests").asInt());
        assertEquals(0, json.get("failed").asInt());
        assertTrue(json.get("requestsPerSecond").asDouble() > 0);
        assertTrue(json.get("latencyMillis").get("p50").asLong() >= 30, json.toString());
        assertEquals(20, uploadedHashes.size(), "every upload is distinct, so no result cache can answer it");
        assertTrue(mostInFlight.get() <= 3, "at most 3 in flight, saw " + mostInFlight.get());

        uploadedHashes.clear();
        HybridMainTest.Run cached = run(Map.of(), "bench", "--url", url(), "-n", "6", "--cached", "--no-timeline", images.toString());
        assertEquals(0, cached.exitCode(), cached.err());
        assertEquals(2, uploadedHashes.size());
        assertTrue(cached.out().contains("requests/s"), cached.out());
        assertTrue(cached.out().contains("latency p50"), cached.out());
    }

    @Test
    void benchWritesATimelineOfBacklogAndWorkersAsJsonAndSvg(@org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        Path prefix = out.resolve("run1");
        holdUntilScraped = true;
        HybridMainTest.Run run = run(Map.of(), "bench", "--url", url(), "-n", "40", "-c", "8", "--tail", "1", "--timeline", prefix.toString(),
                "-o", "json", images.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of(prefix + ".json", prefix + ".svg", prefix + ".png"),
                java.util.stream.StreamSupport.stream(JSON.readTree(run.out()).get("timeline").spliterator(), false).map(JsonNode::asText).toList());

        JsonNode samples = JSON.readTree(prefix.resolveSibling("run1.json").toFile()).get("samples");
        assertTrue(samples.size() >= 4, "sampled every 250 ms through the burst and a 1 s tail: " + samples);
        JsonNode last = samples.get(samples.size() - 1);
        assertEquals(40, last.get("answered").asInt(), "the tail is sampled after every reply: " + last);
        assertEquals(0.0, last.get("backlog").asDouble(), last.toString());
        assertTrue(java.util.stream.StreamSupport.stream(samples.spliterator(), false).anyMatch(s -> s.path("backlog").asDouble() > 0),
                "the burst shows as backlog: " + samples);
        assertTrue(samples.get(0).has("workersRunning"), samples.get(0).toString());
        assertFalse(samples.get(0).has("workersWarm"), "a gauge the web tier does not report is left out");

        javax.xml.parsers.DocumentBuilderFactory xml = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // the SVG DTD is on the web
        org.w3c.dom.Document svg = xml.newDocumentBuilder().parse(prefix.resolveSibling("run1.svg").toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(prefix.resolveSibling("run1.png").toFile());
        assertEquals(900, png.getWidth());
        assertEquals(450, png.getHeight());
    }
}
