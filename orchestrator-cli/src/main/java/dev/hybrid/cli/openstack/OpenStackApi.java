package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.hybrid.cli.openstack.auth.KeystoneSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON over the OpenStack REST APIs with a self-renewing Keystone token. Safe for use from many threads,
 * unlike a client bound to the thread that authenticated. A 503 or 429 is retried after its Retry-After.
 */
public final class OpenStackApi {
    /** Tags on servers (2.26), at boot (2.52), and no add-floating-ip proxy: what we rely on. */
    public static final String COMPUTE_MICROVERSION = "2.79";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final KeystoneSession session;
    private final Map<ServiceType, URI> roots = new ConcurrentHashMap<>();
    private final RetryPolicy<HttpResponse<String>> busy;

    public OpenStackApi(KeystoneSession session) {
        this(session, 5, Duration.ofSeconds(2));
    }

    OpenStackApi(KeystoneSession session, int attempts, Duration defaultWait) {
        this.session = session;
        this.busy = RetryPolicy.<HttpResponse<String>>builder()
                .handleResultIf(response -> response.statusCode() == 503 || response.statusCode() == 429)
                .withDelayFn(context -> retryAfter(context.getLastResult(), defaultWait))
                .withMaxAttempts(attempts)
                .build();
    }

    public KeystoneSession session() {
        return session;
    }

    public String cloudName() {
        return session.cloud().name();
    }

    public JsonNode get(ServiceType service, String path) {
        return json(service, "GET", path, exchange(service, path, request(service, path).GET()));
    }

    /** The resource, or empty when the service answers 404. */
    public java.util.Optional<JsonNode> find(ServiceType service, String path) {
        try {
            return java.util.Optional.of(get(service, path));
        } catch (OpenStackException e) {
            if (e.notFound()) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    public JsonNode post(ServiceType service, String path, JsonNode body) {
        return json(service, "POST", path, exchange(service, path, withBody(request(service, path), "POST", body)));
    }

    public JsonNode put(ServiceType service, String path, JsonNode body) {
        return json(service, "PUT", path, exchange(service, path, withBody(request(service, path), "PUT", body)));
    }

    public JsonNode patch(ServiceType service, String path, String contentType, String body) {
        HttpRequest.Builder request = request(service, path).header("Content-Type", contentType)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
        return json(service, "PATCH", path, exchange(service, path, request));
    }

    /** Deletes; an object that is already gone counts as deleted. */
    public void delete(ServiceType service, String path) {
        HttpResponse<String> response = exchange(service, path, request(service, path).DELETE());
        if (response.statusCode() != 404) {
            json(service, "DELETE", path, response);
        }
    }

    /** A request to the service with the headers every call carries; the token is added when it is sent. */
    public HttpRequest.Builder request(ServiceType service, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(service, path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        if (service == ServiceType.COMPUTE) {
            builder.header("OpenStack-API-Version", "compute " + COMPUTE_MICROVERSION)
                    .header("X-OpenStack-Nova-API-Version", COMPUTE_MICROVERSION);
        }
        return builder;
    }

    public URI uri(ServiceType service, String path) {
        URI root = roots.computeIfAbsent(service, type -> {
            String base = session.endpoint(type.catalogType).toString();
            base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            return URI.create(base.endsWith(type.versionPath) ? base : base + type.versionPath);
        });
        return URI.create(root + path);
    }

    /** Sends with retries on 503/429; the caller reads the status. */
    public HttpResponse<String> exchange(ServiceType service, String path, HttpRequest.Builder request) {
        return Failsafe.with(busy).get(() -> sendOnce(service, path, request, HttpResponse.BodyHandlers.ofString()));
    }

    /** Sends once, for bodies that can be read only once (uploads). */
    public <T> HttpResponse<T> sendOnce(ServiceType service, String path, HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return session.send(request, handler);
        } catch (IOException e) {
            throw new OpenStackException("cannot reach the " + service.catalogType + " service of cloud '" + cloudName() + "' at "
                    + uri(service, path) + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenStackException("interrupted while calling " + uri(service, path), e);
        }
    }

    private static HttpRequest.Builder withBody(HttpRequest.Builder request, String method, JsonNode body) {
        return request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private JsonNode json(ServiceType service, String method, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            String body = response.body();
            try {
                return body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
            } catch (IOException e) {
                throw new OpenStackException(status, method + " " + path + " on " + service.catalogType + " answered " + status
                        + " with a body that is not JSON");
            }
        }
        throw new OpenStackException(status, describeFailure(service, method, path, response));
    }

    static String describeFailure(ServiceType service, String method, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        String detail = errorMessage(response.body());
        String what = service.catalogType + " " + method + " " + path.replaceFirst("\\?.*", "") + " failed with HTTP " + status
                + (detail.isEmpty() ? "" : ": " + detail);
        return switch (status) {
            case 401 -> what + " (the token was refused twice; check the credentials in clouds.yaml)";
            case 403 -> what + " (the project's role does not allow it, or a quota is zero)";
            case 413 -> what + " (over quota: free some resources or ask the cloud's admin to raise the quota)";
            // Glance 2024.1+ checks an upload's format as it streams and answers a failed check with 415.
            case 415 -> service == ServiceType.IMAGE && path.endsWith("/file")
                    ? what + " (Glance refused the image's contents: they failed its format safety checks for the image's"
                            + " disk_format; 'qemu-img info FILE' shows what the file is, and glance-api's log says which check)"
                    : what;
            case 429, 503 -> what + " (the service stayed busy through every retry; try again later)";
            default -> status >= 500 ? what + " (the cloud is failing; its logs say why)" : what;
        };
    }

    /** OpenStack services wrap their message in one of a few shapes; return whichever is there. */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode root = JSON.readTree(body);
            for (JsonNode candidate : root) {
                if (candidate.isObject() && candidate.hasNonNull("message")) {
                    return candidate.get("message").asText().strip();
                }
            }
            if (root.hasNonNull("NeutronError")) {
                return root.get("NeutronError").path("message").asText();
            }
            if (root.hasNonNull("message")) {
                return root.get("message").asText().strip();
            }
        } catch (IOException e) {
            // Glance answers some errors in HTML or plain text
        }
        String text = body.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static Duration retryAfter(HttpResponse<String> response, Duration fallback) {
        if (response == null) {
            return fallback;
        }
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return Duration.of(Math.max(0, seconds), ChronoUnit.SECONDS);
            } catch (NumberFormatException e) {
                return fallback; // an HTTP date; rare enough to wait the default
            }
        }).map(wait -> wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait).orElse(fallback);
    }
}
