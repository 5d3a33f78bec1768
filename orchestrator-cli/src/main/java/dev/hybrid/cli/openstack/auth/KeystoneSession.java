package dev.hybrid.cli.openstack.auth;

import dev.hybrid.cli.config.CloudConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;

/**
 * A token that renews itself: it is fetched on first use, fetched again when it is about to expire, and
 * when a service answers 401 to it. Safe for use from many threads.
 */
public final class KeystoneSession {
    /** Renew this long before expiry so that a request never leaves with a token that dies on the way. */
    static final long RENEW_MARGIN_SECONDS = 60;

    private final KeystoneClient client;
    private final Clock clock;
    private KeystoneToken current;

    public KeystoneSession(KeystoneClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Reads nothing yet: the first call that needs a token authenticates. */
    public static KeystoneSession forCloud(CloudConfig cloud) {
        return new KeystoneSession(new KeystoneClient(cloud), Clock.systemUTC());
    }

    public CloudConfig cloud() {
        return client.cloud();
    }

    public synchronized KeystoneToken token() {
        if (current == null || current.expiresWithin(clock.instant(), RENEW_MARGIN_SECONDS)) {
            current = client.authenticate();
        }
        return current;
    }

    /** Forget {@code stale} (a service refused it) so that the next call authenticates again. */
    public synchronized void invalidate(KeystoneToken stale) {
        if (current == stale) {
            current = null;
        }
    }

    /** The endpoint of a service type for the cloud's interface and region, e.g. {@code compute}, {@code image}, {@code network}. */
    public URI endpoint(String serviceType) {
        return token().catalog().endpoint(serviceType, cloud().interfaceName(), cloud().regionName());
    }

    /**
     * Sends a request to an OpenStack service with the token; if the service answers 401 (the token was revoked
     * or expired early), authenticates again and sends it once more.
     */
    public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> bodyHandler)
            throws IOException, InterruptedException {
        KeystoneToken token = token();
        HttpResponse<T> response = client.http().send(request.copy().setHeader("X-Auth-Token", token.value()).build(), bodyHandler);
        if (response.statusCode() != 401) {
            return response;
        }
        invalidate(token);
        return client.http().send(request.copy().setHeader("X-Auth-Token", token().value()).build(), bodyHandler);
    }
}
