package dev.hybrid.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The HTTP surface besides uploads (those are {@link UploadHandler}'s): the upload page, health
 * and metrics. Every error is one readable line.
 */
final class HttpApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebConfig config;
    private final Health health;
    private final Metrics metrics;

    HttpApi(WebConfig config, Health health, Metrics metrics) {
        this.config = config;
        this.health = health;
        this.metrics = metrics;
    }

    void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.html(UPLOAD_PAGE));
        routes.get("/healthz", this::healthz);
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.error(413, "*", ctx -> ctx.result("image too large: the limit is " + config.maxImageBytes() + " bytes\n"));
        routes.error(404, "*", ctx -> ctx.result("not found: upload images with POST / or POST /classify\n"));
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

    /** A digest per thread: looking the algorithm up for every upload showed in the cached path's profile. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(SHA256.get().digest(bytes));
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
