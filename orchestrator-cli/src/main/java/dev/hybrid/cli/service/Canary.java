package dev.hybrid.cli.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The last step of {@code up}: one image, drawn for this run (so that no result cache can answer it), classified
 * through the web tier's public URL exactly as a user's upload is, asking for the JSON reply, which names the label,
 * the worker that answered and the model it used. The outcome is kept in {@code canary.json} beside the stack's
 * record, for {@code status}.
 */
public final class Canary {
    public static final String FILE = "canary.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What failed, in the words of the one line {@code up} prints. */
    public enum Failure {
        /** The address never answered: the server did not boot, or its floating IP is not routed here. */
        UNREACHABLE("unreachable"),
        /** The web tier answered, but never /healthz 200, so no image was sent. */
        UNHEALTHY("unhealthy"),
        /** No answer to the image within the canary's timeout (no worker took it, or none finished). */
        TIMEOUT("timeout"),
        /** The web tier answered with a 5xx: a worker failed on the image, or the web tier could not reach the queue. */
        WORKER_ERROR("worker error"),
        /** The web tier refused the image (a 4xx) or gave a reply without a label. */
        REJECTED("rejected");

        public final String text;

        Failure(String text) {
            this.text = text;
        }
    }

    /**
     * One canary. {@code failure} and {@code message} are null when it passed; {@code label}, {@code worker} and
     * {@code model} are null when it failed (as is {@code millis} when no image was sent).
     */
    public record Result(String at, URI url, boolean ok, String label, Long millis, String worker, String model, Boolean cached,
                         Failure failure, String message) {
        public static Result failed(Instant at, URI url, Failure failure, Long millis, String message) {
            return new Result(at.toString(), url, false, null, millis, null, null, null, failure, message);
        }

        /** The untrained fallback: its labels come from random weights. */
        @JsonIgnore
        public boolean untrained() {
            return model != null && model.startsWith("untrained");
        }

        /** The one line {@code up} prints for a failed canary. */
        public String failureLine() {
            return "canary failed (" + failure.text + "): " + message + "; the stack's resources stay, so that you can look";
        }

        /** The text report: three lines for a passed canary, one for a failed one. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            if (!ok) {
                lines.add("canary    FAILED (" + failure.text + ") at " + at + ": " + message);
                return lines;
            }
            lines.add("canary    ok at " + at + ": label " + label + " in " + millis + " ms" + (Boolean.TRUE.equals(cached) ? " (cached)" : ""));
            lines.add("  worker  " + worker);
            lines.add("  model   " + (untrained()
                    ? model + "   <-- UNTRAINED MODEL: random weights, its labels mean nothing; give the workers a trained model"
                    : model));
            return lines;
        }

        public ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode();
            node.put("at", at).put("url", url == null ? null : url.toString()).put("ok", ok).put("label", label).put("millis", millis)
                    .put("worker", worker).put("model", model).put("untrained", untrained()).put("cached", cached)
                    .put("failure", failure == null ? null : failure.name().toLowerCase(Locale.ROOT)).put("message", message);
            return node;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final LongSupplier nanoTime;

    public Canary() {
        this(System::nanoTime);
    }

    Canary(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Sends {@code image} (named {@code name}) to {@code web}'s /classify and waits at most {@code timeout} for the answer. */
    public Result run(URI web, String name, byte[] image, Duration timeout) {
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String boundary = "hybrid-canary-" + UUID.randomUUID();
        HttpRequest request = HttpRequest.newBuilder(web.resolve("/classify?reply=json")).timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, name, image))).build();
        long start = nanoTime.getAsLong();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return Result.failed(at, web, Failure.TIMEOUT, elapsed(start), "no answer to the canary image within " + timeout.toSeconds()
                    + " s (did a worker start? the web tier's log and 'hybrid status' say more)");
        } catch (IOException e) {
            return Result.failed(at, web, Failure.UNREACHABLE, elapsed(start), "cannot reach " + web + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(at, web, Failure.TIMEOUT, elapsed(start), "interrupted before the canary image was answered");
        }
        long millis = elapsed(start);
        String body = response.body() == null ? "" : response.body().strip();
        String firstLine = body.lines().findFirst().orElse("");
        int status = response.statusCode();
        if (status == 504) {
            return Result.failed(at, web, Failure.TIMEOUT, millis, "the web tier gave up waiting for a worker: HTTP 504 " + firstLine);
        }
        if (status >= 500) {
            return Result.failed(at, web, Failure.WORKER_ERROR, millis, "HTTP " + status + " " + firstLine);
        }
        if (status / 100 != 2) {
            return Result.failed(at, web, Failure.REJECTED, millis, "HTTP " + status + " " + firstLine);
        }
        try {
            JsonNode reply = JSON.readTree(body);
            String label = reply.path("label").asText("");
            if (label.isBlank()) {
                return Result.failed(at, web, Failure.REJECTED, millis, "the reply has no label: " + firstLine);
            }
            return new Result(at.toString(), web, true, label, millis, reply.path("workerId").asText("unknown"),
                    reply.path("modelId").asText("unknown"), reply.path("cached").asBoolean(false), null, null);
        } catch (IOException e) {
            return Result.failed(at, web, Failure.REJECTED, millis, "the reply is not the web tier's JSON (is " + web
                    + " a hybrid web tier?): " + firstLine);
        }
    }

    private long elapsed(long start) {
        return (nanoTime.getAsLong() - start) / 1_000_000;
    }

    /** {@code DIR/canary.json}, written whole or not at all. */
    public static void record(Path directory, Result result) {
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, "canary", ".tmp");
            JSON.writeValue(temporary.toFile(), result);
            try {
                Files.move(temporary, directory.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, directory.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the canary in " + directory.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The last canary recorded in {@code directory}; empty when there is none or it cannot be read. */
    public static Optional<Result> last(Path directory) {
        Path file = directory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Result.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Forgets the last canary (teardown). */
    public static void forget(Path directory) {
        try {
            Files.deleteIfExists(directory.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    private static byte[] multipart(String boundary, String name, byte[] bytes) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"inputFile\"; filename=\"" + name.replace("\"", "")
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bytes, 0, body, head.length, bytes.length);
        System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
        return body;
    }
}
