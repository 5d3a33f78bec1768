package dev.hybrid.cli.service;

import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Waiter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Waits, through the one {@link Waiter}, until the web tier answers {@code /healthz} with 200 or the health timeout
 * is over. A server still booting looks, from here, exactly like a cloud whose floating IPs are not routed to this
 * machine (the connection times out), so silence is waited through too; only the outcome tells them apart: an
 * address that never answered anything is {@link Outcome#UNREACHABLE}, one that answered (even with a refusal or a
 * 503) but never 200 is {@link Outcome#TIMED_OUT}. A {@code serverFailure} check (the server went to ERROR) ends the
 * wait at once as {@link Outcome#SERVER_FAILED}.
 */
public final class WebHealthWait {
    public enum Outcome { HEALTHY, UNREACHABLE, TIMED_OUT, SERVER_FAILED, SKIPPED }

    public record Result(Outcome outcome, String message) {
        public boolean healthy() {
            return outcome == Outcome.HEALTHY;
        }

        /** The wait ran and did not end healthy. */
        public boolean failed() {
            return outcome != Outcome.HEALTHY && outcome != Outcome.SKIPPED;
        }
    }

    private WebHealthWait() {
    }

    private static final String WAITING = "not healthy yet";
    private static final String HEALTHY = "healthy";
    private static final String SERVER_FAILED = "server failed";

    public static Result await(URI web, Duration timeout, Duration probeTimeout, ProgressBars bars) {
        return await(web, timeout, probeTimeout, Waiter.system(bars), Optional::empty);
    }

    public static Result await(URI web, Duration timeout, Duration probeTimeout, Waiter waiter) {
        return await(web, timeout, probeTimeout, waiter, Optional::empty);
    }

    /**
     * Every two seconds a look at {@code /healthz} (and at {@code serverFailure}), until it says 200 or time is up.
     *
     * @param serverFailure why the machine behind {@code web} can no longer come up (a server in ERROR), or empty
     */
    public static Result await(URI web, Duration timeout, Duration probeTimeout, Waiter waiter, Supplier<Optional<String>> serverFailure) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(probeTimeout).build();
        URI health = web.resolve("/healthz");
        AtomicBoolean answered = new AtomicBoolean();
        try {
            waiter.until("web tier " + health + " healthy", () -> serverFailure.get()
                            .map(reason -> Waiter.Observation.of(reason, SERVER_FAILED))
                            .orElseGet(() -> probe(http, health, probeTimeout, answered)))
                    .pending(WAITING).target(HEALTHY).noting(Waiter.Observation::value)
                    .timeout(timeout).pollEvery(Duration.ofSeconds(2)).notFoundChecks(0)
                    .onUnexpected(seen -> seen.value())
                    .onTimeout(last -> answered.get()
                            ? "the web tier at " + web + " was not healthy within " + timeout.toSeconds() + " s (last: " + last.value() + ")"
                            : "the web tier's address " + web.getHost() + ":" + web.getPort() + " did not answer within "
                                    + timeout.toSeconds() + " s (last: " + last.value() + "): the server did not boot, or its "
                                    + "floating-IP network is not routed to this machine")
                    .await();
            return new Result(Outcome.HEALTHY, "the web tier at " + web + " is healthy");
        } catch (Waiter.WaitFailed e) {
            if (SERVER_FAILED.equals(e.lastState())) {
                return new Result(Outcome.SERVER_FAILED, e.getMessage());
            }
            return new Result(answered.get() ? Outcome.TIMED_OUT : Outcome.UNREACHABLE, e.getMessage());
        }
    }

    /**
     * One look at {@code /healthz}: healthy on a 200, else what it answered (or why it did not). A refused connection
     * counts as an answer: the address is routed and something there said no, which is a booting server's web tier.
     */
    /** A refusal proves a route; a timeout, "no route to host" or "network unreachable" does not. */
    static boolean refused(Throwable failure) {
        boolean connect = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (cause instanceof java.net.NoRouteToHostException || cause instanceof java.net.http.HttpConnectTimeoutException
                    || message.contains("no route") || message.contains("unreachable") || message.contains("timed out")) {
                return false;
            }
            connect |= cause instanceof ConnectException;
        }
        return connect;
    }

    private static Waiter.Observation<String> probe(HttpClient http, URI health, Duration probeTimeout, AtomicBoolean answered) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(probeTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            answered.set(true);
            if (response.statusCode() == 200) {
                return Waiter.Observation.of("healthy", HEALTHY);
            }
            String body = response.body().strip();
            return Waiter.Observation.of("HTTP " + response.statusCode() + (body.isEmpty() ? "" : " " + body), WAITING);
        } catch (IOException e) {
            if (refused(e)) {
                answered.set(true);
                return Waiter.Observation.of("connection refused", WAITING);
            }
            return Waiter.Observation.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), WAITING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + health, e);
        }
    }
}
