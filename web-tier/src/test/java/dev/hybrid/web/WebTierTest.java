package dev.hybrid.web;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.Prediction;
import dev.hybrid.contract.Timings;
import dev.hybrid.contract.Wire;
import dev.hybrid.localaws.LocalAws;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

class WebTierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LocalAws aws;
    private SqsClient sqs;
    private S3Client s3;
    private String requests;
    private String responses;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
        aws = LocalAws.startInMemory();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
        sqs = SqsClient.builder().endpointOverride(aws.sqsEndpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(ApacheHttpClient.create()).build();
        s3 = S3Client.builder().endpointOverride(aws.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials).httpClient(ApacheHttpClient.create()).build();
        requests = sqs.createQueue(b -> b.queueName("requests")).queueUrl();
        responses = sqs.createQueue(b -> b.queueName("responses")).queueUrl();
        s3.createBucket(b -> b.bucket("web-input"));
        s3.createBucket(b -> b.bucket("web-output"));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        sqs.close();
        s3.close();
        aws.close();
    }

    private WebMain.RunningWebTier web(ReplyFormat reply, Duration deadline, int maxPending, long maxImageBytes) {
        var config = new WebConfig(requests, responses, "web-input", "web-output", LocalAws.REGION, aws.sqsEndpoint(), aws.s3Endpoint(),
                true, "127.0.0.1", 0, reply, deadline, maxPending, maxImageBytes, 0, 100, 2, 1, null, 20, 0, 0, null, "test", null);
        WebMain.RunningWebTier server = WebMain.RunningWebTier.start(config);
        closing.add(server);
        return server;
    }

    private WebMain.RunningWebTier web() {
        return web(ReplyFormat.LABEL, Duration.ofSeconds(30), 5000, 10 * 1024 * 1024);
    }

    private StandInWorker worker() {
        StandInWorker worker = new StandInWorker(sqs, s3, requests, responses);
        closing.add(worker);
        return worker;
    }

    static byte[] png(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        return bytes;
    }

    private CompletableFuture<HttpResponse<String>> upload(URI base, String path, String field, String name, byte[] bytes, String accept) {
        String boundary = "b" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(URI base, String name, byte[] bytes) {
        return upload(base, "/", "myfile", name, bytes, null).join();
    }

    @Test
    void answersWithTheLabelInEachReplyFormatAndAnyFieldName() throws Exception {
        worker();
        URI label = web().url();
        byte[] a = png(1, 500);
        byte[] b = png(2, 500);

        HttpResponse<String> plain = upload(label, "test_0.JPEG", a);
        assertEquals(200, plain.statusCode(), plain.body());
        assertEquals(StandInWorker.labelOf(a), plain.body());

        HttpResponse<String> field = upload(label, "/classify", "inputFile", "test_1.png", b, null).join();
        assertEquals(StandInWorker.labelOf(b), field.body());

        JsonNode json = JSON.readTree(upload(label, "/classify?reply=json", "x", "c.png", png(3, 500), null).join().body());
        assertEquals(StandInWorker.labelOf(png(3, 500)), json.get("label").asText());
        assertEquals("stand-in", json.get("modelId").asText());
        assertFalse(json.get("cached").asBoolean());
        assertEquals(1, json.get("top5").size());
        JsonNode accepted = JSON.readTree(upload(label, "/", "f", "d.png", png(4, 500), "application/json").join().body());
        assertEquals(StandInWorker.labelOf(png(4, 500)), accepted.get("label").asText());
    }

    @Test
    void nameLabelRepliesCarryTheFileStem() {
        worker();
        URI nameLabel = web(ReplyFormat.NAME_LABEL, Duration.ofSeconds(30), 100, 1 << 20).url();
        byte[] b = png(2, 500);
        HttpResponse<String> named = upload(nameLabel, "/classify", "inputFile", "test_1.JPEG", b, null).join();
        assertEquals("test_1:" + StandInWorker.labelOf(b), named.body());
    }

    @Test
    void largeImagesTravelByClaimCheck() {
        StandInWorker worker = worker();
        URI base = web().url();
        byte[] big = png(7, 400_000);
        HttpResponse<String> response = upload(base, "big.png", big);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(StandInWorker.labelOf(big), response.body());
        var request = worker.received.peek();
        assertNotNull(request.claimCheck(), "sent as a claim check");
        assertNull(request.imageBase64());
        assertEquals("web-input", request.claimCheck().bucket());
    }

    @Test
    void identicalImagesShareOneMessageAndLaterOnesComeFromTheCache() throws Exception {
        StandInWorker worker = worker();
        worker.pause(true);
        WebMain.RunningWebTier server = web();
        byte[] image = png(9, 800);
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            uploads.add(upload(server.url(), "/", "myfile", "same-" + i + ".png", image, null));
        }
        Thread.sleep(1500);
        worker.pause(false);
        for (var upload : uploads) {
            assertEquals(StandInWorker.labelOf(image), upload.join().body());
        }
        assertEquals(1, worker.received.size(), "single flight: one queue message for 20 identical uploads");

        JsonNode again = JSON.readTree(upload(server.url(), "/?reply=json", "f", "other-name.png", image, null).join().body());
        assertTrue(again.get("cached").asBoolean());
        assertEquals(1, worker.received.size(), "answered from the cache, no new message");

        // A fresh web tier with an empty memory finds the durable copy in S3.
        Thread.sleep(500);
        JsonNode durable = JSON.readTree(upload(web().url(), "/?reply=json", "f", "x.png", image, null).join().body());
        assertTrue(durable.get("cached").asBoolean(), durable.toString());
        assertEquals(1, worker.received.size());
        // The later upload is a hit; so is any of the 20 that arrived after the reply was cached (HTTP/1.1 opens 20 connections).
        java.util.regex.Matcher hits = java.util.regex.Pattern.compile("hybrid_cache_lookups_total\\{result=\"hit\"} (\\d+)\\.0")
                .matcher(server.metrics.scrape());
        assertTrue(hits.find(), server.metrics.scrape());
        assertTrue(Integer.parseInt(hits.group(1)) >= 1 && Integer.parseInt(hits.group(1)) <= 21, server.metrics.scrape());
    }

    @Test
    void holdsAThousandPendingUploadsWithoutAThreadEach() throws Exception {
        StandInWorker worker = worker();
        worker.pause(true);
        // The production deadline: answering 1000 one by one can outlast a short one on a busy machine.
        WebMain.RunningWebTier server = web(ReplyFormat.LABEL, Duration.ofSeconds(300), 5000, 10 * 1024 * 1024);
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            uploads.add(upload(server.url(), "/", "myfile", "p" + i + ".png", png(1000 + i, 300), null));
        }
        // Generous: on a loaded 2-core CI machine, 1000 multipart uploads take a while just to arrive.
        long deadline = System.currentTimeMillis() + 180_000;
        while (server.broker.pendingUploads() < 1000 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(1000, server.broker.pendingUploads(), () -> "all 1000 held at once; answered early: " + uploads.stream()
                .filter(CompletableFuture::isDone).map(f -> f.handle((r, e) -> e != null ? e.toString() : r.statusCode() + " " + r.body()).join())
                .limit(3).toList());
        // Jetty's pool is far smaller than 1000, and while the 1000 wait almost none of it is busy:
        // no request parks a thread.
        var pool = (org.eclipse.jetty.util.thread.QueuedThreadPool) server.app.jettyServer().server().getThreadPool();
        assertTrue(pool.getMaxThreads() < 1000, "pool max " + pool.getMaxThreads());
        Thread.sleep(500);
        assertTrue(pool.getBusyThreads() < 50, "busy Jetty threads while 1000 wait: " + pool.getBusyThreads());
        worker.pause(false);
        for (int i = 0; i < uploads.size(); i++) {
            HttpResponse<String> response = uploads.get(i).join();
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(StandInWorker.labelOf(png(1000 + i, 300)), response.body());
        }
    }

    @Test
    void acceptsTwoHundredSimultaneousConnections() throws Exception {
        worker();
        WebMain.RunningWebTier server = web();
        List<java.net.Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                sockets.add(new java.net.Socket("127.0.0.1", server.port()));
            }
            assertEquals(200, sockets.stream().filter(java.net.Socket::isConnected).count());
            HttpResponse<String> response = upload(server.url(), "ok.png", png(5, 100));
            assertEquals(200, response.statusCode());
        } finally {
            for (var socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void everyErrorHasItsStatusAndOneReadableLine() throws Exception {
        worker();
        URI base = web(ReplyFormat.LABEL, Duration.ofSeconds(30), 5000, 10_000).url();
        HttpResponse<String> noFile = http.send(HttpRequest.newBuilder(base.resolve("/")).POST(HttpRequest.BodyPublishers.ofString("x"))
                .header("Content-Type", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, noFile.statusCode());
        assertTrue(noFile.body().startsWith("send the image as multipart/form-data"), noFile.body());

        HttpResponse<String> tooLarge = upload(base, "huge.png", png(1, 20_000));
        assertEquals(413, tooLarge.statusCode());
        assertTrue(tooLarge.body().startsWith("image too large"), tooLarge.body());

        HttpResponse<String> text = upload(base, "notes.txt", "hello, not an image".getBytes());
        assertEquals(415, text.statusCode());
        assertEquals("not an image: send JPEG, PNG, GIF or BMP bytes\n", text.body());

        // A WebP (1×1, lossy): the workers could not classify it as PIL would, so it is refused here, with its own reason.
        byte[] webp = java.util.HexFormat.of().parseHex("52494646240000005745425056503820180000003001009d012a0100010002003425a400037000fefb94000000");
        HttpResponse<String> refusedWebp = upload(base, "photo.webp", webp);
        assertEquals(415, refusedWebp.statusCode());
        assertEquals("WebP is not supported: send JPEG, PNG, GIF or BMP bytes\n", refusedWebp.body());

        HttpResponse<String> undecodable = upload(base, "bad.png", png(2, 100));
        assertEquals(422, undecodable.statusCode());
        assertEquals("the image could not be decoded: broken pixels\n", undecodable.body());

        HttpResponse<String> giant = upload(base, "giant.png", png(4, 100));
        assertEquals(413, giant.statusCode());
        assertEquals("the image is too large to classify: image is 13000x13000 = 169.0 Mpx; this worker takes at most 4.2 Mpx\n",
                giant.body());

        HttpResponse<String> fault = upload(base, "crash.png", png(3, 100));
        assertEquals(502, fault.statusCode());
        assertEquals("classification failed: worker fault\n", fault.body());
        for (String body : List.of(noFile.body(), tooLarge.body(), text.body(), refusedWebp.body(), undecodable.body(), giant.body(), fault.body())) {
            assertEquals(1, body.strip().lines().count(), "one line: " + body);
            assertFalse(body.contains("Exception"), body);
        }
    }

    @Test
    void uploadsAreFramedByTheUploadHandlerAndOtherRequestsStillReachJavalin() throws Exception {
        StandInWorker worker = worker();
        URI base = web(ReplyFormat.LABEL, Duration.ofSeconds(30), 5000, 10_000).url();
        byte[] image = png(21, 3000);
        String boundary = "chunky";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nnot a file\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"inputFile\"; filename=\"chunked.png\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.writeBytes(image);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        // No Content-Length: the body arrives chunked, in several reads.
        byte[] formBytes = form.toByteArray();
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(base.resolve("/classify?reply=json"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(formBytes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chunked.statusCode(), chunked.body());
        JsonNode json = JSON.readTree(chunked.body());
        assertEquals(StandInWorker.labelOf(image), json.get("label").asText());
        assertEquals("chunked.png", json.get("name").asText());
        assertEquals(1, worker.received.size());

        // A declared length beyond the limit is refused before the body is read.
        try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: 50000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String reply = new String(socket.getInputStream().readNBytes(300), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
            assertTrue(reply.contains("\r\n\r\nimage too large: the limit is 10000 bytes\n"), reply);
        }
        // So is a chunked body that grows beyond it.
        byte[] huge = new byte[2 * 1024 * 1024];
        HttpResponse<String> tooMuch = http.send(HttpRequest.newBuilder(base.resolve("/"))
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, tooMuch.statusCode());
        assertEquals("image too large: the limit is 10000 bytes\n", tooMuch.body());

        HttpResponse<String> twoFiles = http.send(HttpRequest.newBuilder(base.resolve("/"))
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=a; filename=1.png\r\n\r\nx\r\n"
                        + "--b\r\nContent-Disposition: form-data; name=b; filename=2.png\r\n\r\ny\r\n--b--\r\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, twoFiles.statusCode());
        assertEquals("send exactly one file per request, not 2\n", twoFiles.body());

        HttpResponse<String> truncated = http.send(HttpRequest.newBuilder(base.resolve("/"))
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=a; filename=1.png\r\n\r\nx")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, truncated.statusCode());
        assertEquals("malformed multipart/form-data body: the body ends inside a part (no closing boundary)\n", truncated.body());

        // Everything else is still Javalin's, on its own threads.
        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(base.resolve("/nowhere")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, elsewhere.statusCode());
        assertEquals("not found: upload images with POST / or POST /classify\n", elsewhere.body());
        assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(1, worker.received.size(), "nothing but the one image went to the queue");
    }

    @Test
    void otherMethodsOnTheUploadPathsGet405WithAllow() throws Exception {
        URI base = web().url();
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            HttpResponse<String> root = http.send(HttpRequest.newBuilder(base.resolve("/")).method(method, HttpRequest.BodyPublishers.ofString("x"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, root.statusCode(), method + " / " + root.body());
            assertEquals("GET, HEAD, POST", root.headers().firstValue("Allow").orElse(null), method);
            assertEquals(method + " is not allowed on /: use GET, HEAD or POST\n", root.body());
        }
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(base.resolve("/classify")).PUT(HttpRequest.BodyPublishers.ofString("x"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode(), put.body());
        assertEquals("POST", put.headers().firstValue("Allow").orElse(null));
        assertEquals("PUT is not allowed on /classify: use POST\n", put.body());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(base.resolve("/classify")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode(), get.body());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(null));

        HttpResponse<String> options = http.send(HttpRequest.newBuilder(base.resolve("/")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, options.statusCode(), options.body());
        assertEquals("GET, HEAD, POST", options.headers().firstValue("Allow").orElse(null));
        // What Allow promises on / is served.
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(base.resolve("/")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<form"), page.body());
        // Other paths keep their 404.
        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(base.resolve("/nowhere")).PUT(HttpRequest.BodyPublishers.ofString("x"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, elsewhere.statusCode());
    }

    @Test
    void pendingLimitGives503WithRetryAfterAndTheDeadlineGives504() throws Exception {
        // No worker: nothing is answered.
        URI base = web(ReplyFormat.LABEL, Duration.ofSeconds(2), 2, 1 << 20).url();
        var first = upload(base, "/", "f", "a.png", png(1, 100), null);
        var second = upload(base, "/", "f", "b.png", png(2, 100), null);
        Thread.sleep(500);
        HttpResponse<String> third = upload(base, "c.png", png(3, 100));
        assertEquals(503, third.statusCode());
        assertEquals("5", third.headers().firstValue("Retry-After").orElse(null));
        assertTrue(third.body().startsWith("too many requests pending"), third.body());
        HttpResponse<String> late = first.join();
        assertEquals(504, late.statusCode());
        assertEquals("no answer within 2 s; try again later\n", late.body());
        assertEquals(504, second.join().statusCode());
    }

    @Test
    void repliesForUnknownRequestsAreDroppedAndCounted() throws Exception {
        WebMain.RunningWebTier server = web();
        var request = new dev.hybrid.contract.ClassifyRequest("nobody-waits", "n.png", "sha", "AA==", null, 0);
        sqs.sendMessage(b -> b.queueUrl(responses).messageBody(Wire.toJson(
                ClassifyResponse.success(request, List.of(new Prediction("x", 1)), "m", "w", new Timings(0, 0)))));
        long deadline = System.currentTimeMillis() + 180_000;
        while (!server.metrics.scrape().contains("hybrid_replies_dropped_total 1.0") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(server.metrics.scrape().contains("hybrid_replies_dropped_total 1.0"), server.metrics.scrape());
    }

    @Test
    void healthShowsTheEngineCheckTheWorkersReport() throws Exception {
        WebMain.RunningWebTier server = web();
        JsonNode before = JSON.readTree(http.send(HttpRequest.newBuilder(server.url().resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("unknown", before.get("engine").asText());
        var request = new dev.hybrid.contract.ClassifyRequest("engine-report", "n.png", "sha", "AA==", null, 0);
        sqs.sendMessage(b -> b.queueUrl(responses).messageBody(Wire.toJson(ClassifyResponse.success(request,
                List.of(new Prediction("x", 1)), "m", "w", new Timings(0, 0)).withEngine(ClassifyResponse.ENGINE_SAFE_ISA))));
        long deadline = System.currentTimeMillis() + 180_000;
        JsonNode after = before;
        while (!"safe-isa".equals(after.get("engine").asText()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            after = JSON.readTree(http.send(HttpRequest.newBuilder(server.url().resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
        assertEquals("safe-isa", after.get("engine").asText(), after.toString());
    }

    @Test
    void healthAndMetricsEndpoints() throws Exception {
        worker();
        WebMain.RunningWebTier server = web();
        assertEquals(200, upload(server.url(), "m.png", png(11, 100)).statusCode());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.url().resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        JsonNode body = JSON.readTree(health.body());
        assertEquals("ok", body.get("sqs").asText());
        assertEquals("ok", body.get("s3").asText());
        assertEquals("stand-in", body.get("modelId").asText());

        String metrics = http.send(HttpRequest.newBuilder(server.url().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("hybrid_requests_total{status=\"200\"} 1.0"), metrics);
        assertTrue(metrics.contains("hybrid_request_duration_seconds_count 1"), metrics);
        assertTrue(metrics.contains("hybrid_pending_requests 0.0"), metrics);
        assertTrue(metrics.contains("hybrid_backlog_messages"), metrics);

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.url().resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(page.body().contains("<form"), page.body());

        aws.close();
        Thread.sleep(2500);
        HttpResponse<String> down = http.send(HttpRequest.newBuilder(server.url().resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, down.statusCode(), down.body());
        aws = LocalAws.startInMemory();
    }
}
