package dev.hybrid.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Uploads images to the web tier as the course's clients do (multipart, one file part) and asks for JSON replies. */
public final class WebTierClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One image's outcome; {@code label} is null and {@code error} set when it failed. */
    public record Classification(String name, String label, int status, long millis, String error) {
        public boolean ok() {
            return error == null;
        }

        /** The latencies of the answered ones, for {@code BenchFigures}. */
        public static List<Long> answeredMillis(List<Classification> results) {
            return results.stream().filter(Classification::ok).map(Classification::millis).toList();
        }
    }

    // HTTP/1.1: the web tier speaks nothing else, and the default HTTP/2 makes every new connection try an h2c upgrade.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final Duration timeout;

    public WebTierClient(URI base, Duration timeout) {
        this.endpoint = base.resolve("/classify?reply=json");
        this.timeout = timeout;
    }

    public CompletableFuture<Classification> classify(Path image) {
        String name = image.getFileName().toString();
        try {
            return classify(name, Files.readAllBytes(image));
        } catch (IOException e) {
            return CompletableFuture.completedFuture(new Classification(name, null, 0, 0, "cannot read " + image + ": " + e.getMessage()));
        }
    }

    public CompletableFuture<Classification> classify(String name, byte[] bytes) {
        String boundary = "hybrid-" + UUID.randomUUID();
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, name, bytes))).build();
        long start = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        return new Classification(name, null, 0, millis, "cannot reach the web tier at " + endpoint + ": "
                                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
                    }
                    return parse(name, response, millis);
                });
    }

    private static Classification parse(String name, HttpResponse<String> response, long millis) {
        String body = response.body() == null ? "" : response.body().trim();
        if (response.statusCode() / 100 != 2) {
            String firstLine = body.lines().findFirst().orElse("");
            return new Classification(name, null, response.statusCode(), millis, "HTTP " + response.statusCode() + " " + firstLine);
        }
        try {
            JsonNode reply = JSON.readTree(body);
            String label = reply.path("label").asText(null);
            return label == null || label.isBlank()
                    ? new Classification(name, null, response.statusCode(), millis, "the reply has no label: " + body)
                    : new Classification(name, label, response.statusCode(), millis, null);
        } catch (IOException e) {
            // A web tier that ignores ?reply=json answers with the plain label, or name:label.
            String label = body.contains(":") ? body.substring(body.indexOf(':') + 1) : body;
            return label.isBlank() ? new Classification(name, null, response.statusCode(), millis, "empty reply")
                    : new Classification(name, label, response.statusCode(), millis, null);
        }
    }

    private static byte[] multipart(String boundary, String name, byte[] bytes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + 256);
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"inputFile\"; filename=\"" + name.replace("\"", "")
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(bytes);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toByteArray();
    }
}
