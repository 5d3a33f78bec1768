package dev.hybrid.cli.openstack.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.config.CloudConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks Keystone v3 for a project-scoped token with the credentials of one cloud. Safe for use from many threads. */
public final class KeystoneClient {
    private static final Logger log = LoggerFactory.getLogger(KeystoneClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final CloudConfig cloud;
    private final HttpClient http;
    private final URI tokensUri;

    public KeystoneClient(CloudConfig cloud) {
        this(cloud, httpClientFor(cloud));
    }

    public KeystoneClient(CloudConfig cloud, HttpClient http) {
        this.cloud = cloud;
        this.http = http;
        try {
            this.tokensUri = tokensUri(cloud.auth().authUrl());
        } catch (IllegalArgumentException e) {
            throw new KeystoneException("auth_url '" + cloud.auth().authUrl() + "' of cloud '" + cloud.name() + "' ("
                    + cloud.definedAt() + ") is not a URL: write it like https://keystone.example.org:5000/v3");
        }
    }

    /** An HTTP client with the cloud's TLS trust, for Keystone and for the services of its catalog. */
    public static HttpClient httpClientFor(CloudConfig cloud) {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                // A redirect would carry the password or the token to wherever it points.
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(TlsContexts.forCloud(cloud))
                .build();
    }

    public CloudConfig cloud() {
        return cloud;
    }

    public HttpClient http() {
        return http;
    }

    /** {@code auth_url} as given, with {@code /v3/auth/tokens} appended unless it already ends in {@code /v3}. */
    static URI tokensUri(String authUrl) {
        String base = authUrl.endsWith("/") ? authUrl.substring(0, authUrl.length() - 1) : authUrl;
        URI uri = URI.create(base.endsWith("/v3") ? base + "/auth/tokens" : base + "/v3/auth/tokens");
        if (uri.getHost() == null || uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        return uri;
    }

    public KeystoneToken authenticate() {
        HttpRequest request = HttpRequest.newBuilder(tokensUri)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(AuthRequests.body(cloud).toString()))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() == 401) {
            throw new CredentialsRejectedException(rejection());
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new KeystoneException("Keystone at " + tokensUri + " answered HTTP " + response.statusCode() + " for cloud '"
                    + cloud.name() + "'" + errorDetail(response.body()) + hint(response.statusCode()));
        }
        String token = response.headers().firstValue("X-Subject-Token").orElseThrow(() -> new KeystoneException(
                "Keystone at " + tokensUri + " issued no X-Subject-Token for cloud '" + cloud.name() + "': is auth_url really Keystone v3?"));
        KeystoneToken parsed = parse(token, response.body());
        log.debug("Keystone issued a token for cloud {} valid until {}", cloud.name(), parsed.expiresAt());
        return parsed;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("the connection timed out", e);
        } catch (HttpTimeoutException e) {
            throw unreachable("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (SSLException e) {
            throw new KeystoneException("TLS with Keystone at " + tokensUri + " failed for cloud '" + cloud.name() + "' (" + e.getMessage()
                    + "): set cacert to the CA bundle of the cloud, or verify: false for a test cloud", e);
        } catch (ConnectException e) {
            throw unreachable("connection refused", e);
        } catch (IOException e) {
            throw unreachable(causeOf(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeystoneException("interrupted while authenticating to Keystone at " + tokensUri, e);
        }
    }

    private static String causeOf(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private KeystoneException unreachable(String why, Exception cause) {
        return new KeystoneException("cannot reach Keystone at " + tokensUri + " for cloud '" + cloud.name() + "' (" + why
                + "): check auth_url (" + cloud.definedAt() + ") and that the cloud is up", cause);
    }

    private String rejection() {
        String prefix = "Keystone at " + tokensUri + " rejected the credentials of " + cloud.auth().principal()
                + " in cloud '" + cloud.name() + "' (HTTP 401): ";
        return switch (cloud.authType()) {
            case PASSWORD -> prefix + "check password in " + cloud.secureFileHint() + " or OS_PASSWORD"
                    + (cloud.auth().projectId() == null ? ", and user/project domains" : "");
            case APPLICATION_CREDENTIAL -> prefix + "check application_credential_secret in " + cloud.secureFileHint()
                    + " or OS_APPLICATION_CREDENTIAL_SECRET";
            case TOKEN -> prefix + "the token has expired or was revoked: get a new one and set OS_TOKEN";
        };
    }

    private static String hint(int status) {
        return switch (status) {
            case 403 -> ": the user may not access that project; check project_name and its domain";
            case 404 -> ": check auth_url, which should point at Keystone (e.g. https://host:5000/v3)";
            default -> status >= 500 ? ": Keystone is failing, try again later" : "";
        };
    }

    private static String errorDetail(String body) {
        try {
            JsonNode message = MAPPER.readTree(body).path("error").path("message");
            return message.isTextual() ? " (" + message.asText() + ")" : "";
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    private KeystoneToken parse(String token, String body) {
        try {
            JsonNode root = MAPPER.readTree(body).path("token");
            Instant expiresAt = instant(root.path("expires_at").asText());
            List<ServiceCatalog.Service> services = new ArrayList<>();
            for (JsonNode service : root.path("catalog")) {
                List<ServiceCatalog.Endpoint> endpoints = new ArrayList<>();
                for (JsonNode endpoint : service.path("endpoints")) {
                    String region = endpoint.hasNonNull("region_id") ? endpoint.get("region_id").asText() : endpoint.path("region").asText(null);
                    endpoints.add(new ServiceCatalog.Endpoint(endpoint.path("interface").asText(), region, URI.create(endpoint.path("url").asText())));
                }
                services.add(new ServiceCatalog.Service(service.path("type").asText(), service.path("name").asText(null), endpoints));
            }
            return new KeystoneToken(token, expiresAt, root.path("project").path("id").asText(null),
                    root.path("user").path("id").asText(null), new ServiceCatalog(services));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new KeystoneException("Keystone at " + tokensUri + " answered with a token body that cannot be read: " + e.getMessage(), e);
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }
}
