package dev.hybrid.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The HTTP surface: uploads, the upload page, health and metrics. Every error is one readable line. */
final class HttpApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebConfig config;
    private final RequestBroker broker;
    private final Health health;
    private final Metrics metrics;
    private final Runnable onArrival;

    HttpApi(WebConfig config, RequestBroker broker, Health health, Metrics metrics, Runnable onArrival) {
        this.config = config;
        this.broker = broker;
        this.health = health;
        this.metrics = metrics;
        this.onArrival = onArrival;
    }

    void register(RoutesConfig routes) {
        routes.post("/", this::upload);
        routes.post("/classify", this::upload);
        routes.get("/", ctx -> ctx.html(UPLOAD_PAGE));
        routes.get("/healthz", this::healthz);
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.exception(Rejection.class, (e, ctx) -> reject(ctx, e, System.nanoTime()));
        routes.error(413, "*", ctx -> ctx.result("image too large: the limit is " + config.maxImageBytes() + " bytes\n"));
        routes.error(404, "*", ctx -> ctx.result("not found: upload images with POST / or POST /classify\n"));
    }

    private void upload(Context ctx) {
        long started = System.nanoTime();
        UploadedFile file = onlyFile(ctx);
        byte[] image = read(file);
        if (image.length > config.maxImageBytes()) {
            throw new Rejection(413, "image too large: " + image.length + " bytes, the limit is " + config.maxImageBytes());
        }
        if (image.length == 0 || !ImageSniffer.looksLikeImage(image)) {
            throw new Rejection(415, "not an image: send JPEG, PNG, GIF, BMP or WebP bytes");
        }
        String name = file.filename() == null || file.filename().isBlank() ? "upload" : file.filename();
        boolean json = wantsJson(ctx);
        CompletableFuture<Outcome> answer = broker.submit(name, image, sha256(image));
        if (answer.isDone()) {
            // A cached result: answered on this thread, without the servlet's asynchronous round trip, and no
            // work for the autoscaler (deciding on every cached request kept it and SQS busy under load).
            respond(ctx, answer, name, json, started);
        } else {
            onArrival.run();
            ctx.future(() -> answer.handle((outcome, error) -> {
                respond(ctx, answer, name, json, started);
                return null;
            }));
        }
    }

    private void respond(Context ctx, CompletableFuture<Outcome> answer, String name, boolean json, long started) {
        answer.handle((outcome, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof Rejection rejection) {
                    reject(ctx, rejection, started);
                } else if (RequestBroker.isTimeout(cause)) {
                    reject(ctx, new Rejection(504, "no answer within " + config.deadline().toSeconds() + " s; try again later"), started);
                } else {
                    reject(ctx, new Rejection(502, "classification failed: " + RequestBroker.rootMessage(cause)), started);
                }
            } else {
                answer(ctx, name, outcome, json, started);
            }
            return null;
        });
    }

    private static UploadedFile onlyFile(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase().startsWith("multipart/form-data")) {
            throw new Rejection(400, "send the image as multipart/form-data with one file part (e.g. curl -F myfile=@image.jpg)");
        }
        List<UploadedFile> files = ctx.uploadedFiles();
        if (files.isEmpty()) {
            throw new Rejection(400, "no file part in the form: send exactly one file (any field name)");
        }
        if (files.size() > 1) {
            throw new Rejection(400, "send exactly one file per request, not " + files.size());
        }
        return files.get(0);
    }

    private static byte[] read(UploadedFile file) {
        try (InputStream in = file.content()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean wantsJson(Context ctx) {
        String reply = ctx.queryParam("reply");
        if (reply != null) {
            return reply.equalsIgnoreCase("json");
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json");
    }

    private void answer(Context ctx, String name, Outcome outcome, boolean json, long started) {
        ClassifyResponse response = outcome.response();
        if (response.failed()) {
            int status = ErrorCode.UNDECODABLE_IMAGE.equals(response.error().code()) ? 422 : 502;
            String reason = status == 422 ? "the image could not be decoded: " : "classification failed: ";
            reject(ctx, new Rejection(status, reason + response.error().message()), started);
            return;
        }
        if (json || config.reply() == ReplyFormat.JSON) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("label", response.label());
            body.put("top5", response.top5());
            body.put("modelId", response.modelId());
            body.put("workerId", response.workerId());
            body.put("requestId", response.requestId());
            body.put("timings", response.timings());
            body.put("cached", outcome.cached());
            ctx.contentType("application/json").result(toJson(body));
        } else {
            ctx.contentType("text/plain; charset=utf-8").result(config.reply().plain(name, response.label()));
        }
        ctx.status(200);
        record(200, started);
    }

    private void reject(Context ctx, Rejection rejection, long started) {
        ctx.status(rejection.status).contentType("text/plain; charset=utf-8").result(rejection.getMessage() + "\n");
        if (rejection.retryAfterSeconds != null) {
            ctx.header("Retry-After", rejection.retryAfterSeconds);
        }
        record(rejection.status, started);
    }

    private void record(int status, long started) {
        metrics.requests.labelValues(Integer.toString(status)).inc();
        metrics.latency.observe((System.nanoTime() - started) / 1e9);
    }

    private void healthz(Context ctx) {
        Map<String, Object> body = health.check();
        ctx.status(health.healthy() ? 200 : 503).contentType("application/json").result(toJson(body));
    }

    private static String toJson(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String UPLOAD_PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>hybrid: classify an image</title>
            <style>body{font-family:sans-serif;max-width:36em;margin:3em auto}#label{font-size:1.6em;margin-top:1em}</style></head>
            <body><h1>Classify an image</h1>
            <form id="f"><input type="file" name="myfile" accept="image/*" required> <button>Classify</button></form>
            <div id="label"></div>
            <script>
            document.getElementById('f').onsubmit = async (e) => {
              e.preventDefault();
              const out = document.getElementById('label');
              out.textContent = 'classifying…';
              const r = await fetch('/classify?reply=json', {method: 'POST', body: new FormData(e.target)});
              if (!r.ok) { out.textContent = 'error ' + r.status + ': ' + await r.text(); return; }
              const j = await r.json();
              out.textContent = j.label + (j.modelId && j.modelId.startsWith('untrained') ? '  (untrained model: labels are meaningless)' : '');
            };
            </script></body></html>
            """;
}
