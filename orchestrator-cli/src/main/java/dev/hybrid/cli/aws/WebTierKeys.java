package dev.hybrid.cli.aws;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The channel by which a freshly created web-tier access key reaches whoever renders the web
 * tier's cloud-init, beside the walk and its outputs rather than through them. IAM shows a
 * secret only once, at creation: after an up that found the key already there this stays empty,
 * and only {@code --rotate-keys} yields a new one.
 */
public final class WebTierKeys {
    private final AtomicReference<WebTierCredentials> latest = new AtomicReference<>();

    void deliver(WebTierCredentials credentials) {
        latest.set(credentials);
    }

    /** The key created by this process, if it created one. */
    public Optional<WebTierCredentials> created() {
        return Optional.ofNullable(latest.get());
    }

    /** Drops the key from memory once it has been handed on. */
    public void forget() {
        latest.set(null);
    }
}
