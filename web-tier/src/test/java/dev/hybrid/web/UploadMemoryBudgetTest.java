package dev.hybrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.localaws.LocalAws;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The web tier in a JVM of its own with a small heap, over real loopback sockets: many connections
 * that declare a large body and send nothing must not exhaust its heap. They get 503 with
 * {@code Retry-After} once the upload memory budget is spent, the few that hold the budget get 408
 * when Jetty's idle timeout ends them, and a normal upload meanwhile is served or told to retry.
 */
class UploadMemoryBudgetTest {
    /** The probe: 120 connections, 11 MB declared each, nothing sent. */
    private static final int CONNECTIONS = 120;
    private static final long DECLARED = 11_000_000;
    private static final String HEAP = "-Xmx96m";

    private LocalAws aws;
    private SqsClient sqs;
    private S3Client s3;
    private StandInWorker worker;
    private Process web;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        aws = LocalAws.startInMemory();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
        sqs = SqsClient.builder().endpointOverride(aws.sqsEndpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(ApacheHttpClient.create()).build();
        s3 = S3Client.builder().endpointOverride(aws.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials).httpClient(ApacheHttpClient.create()).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (worker != null) {
            worker.close();
        }
        sqs.close();
        s3.close();
        aws.close();
    }

    private URI startWebTier() throws Exception {
        String requests = sqs.createQueue(b -> b.queueName("requests")).queueUrl();
        String responses = sqs.createQueue(b -> b.queueName("responses")).queueUrl();
        s3.createBucket(b -> b.bucket("web-input"));
        s3.createBucket(b -> b.bucket("web-output"));
        worker = new StandInWorker(sqs, s3, requests, responses);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), WebMain.class.getName(),
                "--request-queue-url", requests, "--response-queue-url", responses, "--input-bucket", "web-input",
                "--output-bucket", "web-output", "--sqs-endpoint", aws.sqsEndpoint().toString(), "--s3-endpoint", aws.s3Endpoint().toString(),
                "--s3-path-style", "--region", LocalAws.REGION, "--bind", "127.0.0.1", "--port", "0")
                .redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
        web = builder.start();
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(web.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("hybrid-web ready url=")) {
                        ready.complete(URI.create(line.substring("hybrid-web ready url=".length()).trim()));
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the web tier exited before it was ready: " + output));
        }, "web-output");
        reader.setDaemon(true);
        reader.start();
        return ready.get(120, TimeUnit.SECONDS);
    }

    @Test
    void connectionsThatDeclareBigBodiesAndSendNothingGet503OrTimeOutAndTheHeapHolds() throws Exception {
        URI base = startWebTier();
        List<Socket> sockets = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        // One reader thread per connection: most answers come at once, the admitted ones only at the idle timeout.
        var readers = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
                // Longer than the idle timeout: a connection the budget admitted is only answered when it ends.
                socket.setSoTimeout((int) WebMain.IDLE_TIMEOUT.toMillis() + 60_000);
                socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                        + "Content-Length: " + DECLARED + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                sockets.add(socket);
                answers.add(CompletableFuture.supplyAsync(() -> head(socket), readers));
            }
            // Meanwhile a normal upload: served, or told when to come back.
            byte[] image = WebTierTest.png(42, 2000);
            HttpResponse<String> normal = upload(base, "normal.png", image);

            List<String> heads = new ArrayList<>();
            for (CompletableFuture<String> answer : answers) {
                heads.add(answer.get(WebMain.IDLE_TIMEOUT.toSeconds() + 90, TimeUnit.SECONDS));
            }
            long refused = heads.stream().filter(h -> h.startsWith("HTTP/1.1 503")).count();
            long timedOut = heads.stream().filter(h -> h.startsWith("HTTP/1.1 408")).count();
            List<String> others = heads.stream().filter(h -> !h.startsWith("HTTP/1.1 503") && !h.startsWith("HTTP/1.1 408")).toList();
            List<String> oom = output.stream().filter(line -> line.contains("OutOfMemoryError")).toList();
            // The figures first, so that a failing run reports them too.
            System.out.printf("upload memory budget (%s): %d connections declaring %d bytes: %d refused with 503, %d ended with 408, "
                            + "%d other answers (%s), normal upload %d, %d OutOfMemoryError lines, web tier peak RSS %s%n",
                    HEAP, CONNECTIONS, DECLARED, refused, timedOut, others.size(),
                    others.stream().map(h -> h.lines().findFirst().orElse("closed")).distinct().toList(), normal.statusCode(), oom.size(),
                    peakRss(web.pid()));

            assertTrue(oom.isEmpty(), oom.size() + " OutOfMemoryError lines, the first: " + oom.stream().findFirst().orElse(""));
            assertTrue(normal.statusCode() == 200 || normal.statusCode() == 503 && normal.headers().firstValue("Retry-After").isPresent(),
                    normal.statusCode() + " " + normal.headers().map() + " " + normal.body());
            if (normal.statusCode() == 200) {
                assertEquals(StandInWorker.labelOf(image), normal.body());
            }
            assertEquals(List.of(), others, "every connection is refused with 503 or ended with 408");
            for (String head : heads) {
                if (head.startsWith("HTTP/1.1 503")) {
                    assertTrue(head.contains("\r\nRetry-After: 5\r\n"), head);
                    assertTrue(head.contains("too many uploads arriving at once"), head);
                } else {
                    assertTrue(head.contains("the upload stalled"), head);
                }
            }
            assertTrue(refused > 0, "the budget was spent: some connections were refused");
            assertTrue(timedOut > 0, "some were admitted, then ended by the idle timeout");

            // Every reservation came back: the next upload is served.
            HttpResponse<String> after = upload(base, "after.png", WebTierTest.png(43, 2000));
            assertEquals(200, after.statusCode(), after.body());
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
            readers.shutdownNow();
        }
    }

    /** The status line and headers of the first answer on the socket; "" when it closes without one. */
    private static String head(Socket socket) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            var in = socket.getInputStream();
            int b;
            while ((b = in.read()) >= 0) {
                bytes.write(b);
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    // Headers and the one-line body.
                    int bodyEnd = text.indexOf('\n', end + 4);
                    if (bodyEnd >= 0) {
                        return text;
                    }
                }
            }
            return bytes.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private HttpResponse<String> upload(URI base, String name, byte[] image) throws Exception {
        String boundary = "b" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"myfile\"; filename=\"" + name
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String peakRss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
