package dev.hybrid.cli.service;

import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Waiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Waits until the web tier on the server answers {@code /healthz}. An address that this machine cannot reach
 * at all (a cloud without a data plane, or a FIP network not routed here) is reported, not waited for.
 */
public final class WebHealthWait {
    public enum Outcome { HEALTHY, UNREACHABLE, TIMED_OUT, SKIPPED }

    public record Result(Outcome outcome, String message) {
    }

    private WebHealthWait() {
    }

    private static final String WAITING = "not healthy yet";
    private static final String HEALTHY = "healthy";

    public static Result await(URI web, Duration timeout, Duration probeTimeout, ProgressBars bars) throws InterruptedException {
        return await(web, timeout, probeTimeout, Waiter.system(bars));
    }

    /** Through the one {@link Waiter}: every two seconds a look at {@code /healthz}, until it says 200 or time is up. */
    public static Result await(URI web, Duration timeout, Duration probeTimeout, Waiter waiter) {
        if (!reachable(web, probeTimeout)) {
            return new Result(Outcome.UNREACHABLE, "the web tier's address " + web.getHost() + ":" + web.getPort()
                    + " cannot be reached from this machine within " + probeTimeout.toSeconds() + " s (a cloud without a data plane, "
                    + "or a floating-IP network not routed here), so its health was not checked; 'hybrid status' checks it again");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(probeTimeout).build();
        URI health = web.resolve("/healthz");
        try {
            waiter.until("web tier " + health + " healthy", () -> probe(http, health, probeTimeout))
                    .pending(WAITING).target(HEALTHY).noting(Waiter.Observation::value)
                    .timeout(timeout).pollEvery(Duration.ofSeconds(2)).notFoundChecks(0)
                    .onTimeout(last -> "the web tier at " + web + " was not healthy within " + timeout.toSeconds() + " s (last: "
                            + last.value() + "); the server's console log ('openstack console log show') says why")
                    .await();
            return new Result(Outcome.HEALTHY, "the web tier at " + web + " is healthy");
        } catch (Waiter.WaitFailed e) {
            return new Result(Outcome.TIMED_OUT, e.getMessage());
        }
    }

    /** One look at {@code /healthz}: healthy on a 200, else what it answered (or why it did not). */
    private static Waiter.Observation<String> probe(HttpClient http, URI health, Duration probeTimeout) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(probeTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return Waiter.Observation.of("healthy", HEALTHY);
            }
            return Waiter.Observation.of("HTTP " + response.statusCode() + " " + response.body().strip(), WAITING);
        } catch (IOException e) {
            return Waiter.Observation.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), WAITING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + health, e);
        }
    }

    private static boolean reachable(URI web, Duration timeout) {
        // The VM may still be booting: an answer of any kind (even a refusal) proves a route; only silence does not.
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(web.getHost(), web.getPort()), (int) timeout.toMillis());
            return true;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
