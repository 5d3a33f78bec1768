package dev.hybrid.cli.service;

import dev.hybrid.cli.engine.ProgressBars;
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

    public static Result await(URI web, Duration timeout, Duration probeTimeout, ProgressBars bars) throws InterruptedException {
        if (!reachable(web, probeTimeout)) {
            return new Result(Outcome.UNREACHABLE, "the web tier's address " + web.getHost() + ":" + web.getPort()
                    + " cannot be reached from this machine within " + probeTimeout.toSeconds() + " s (a cloud without a data plane, "
                    + "or a floating-IP network not routed here), so its health was not checked; 'hybrid status' checks it again");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(probeTimeout).build();
        URI health = web.resolve("/healthz");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        try (ProgressBars.Bar bar = bars.start("web tier " + health + " healthy", -1, "")) {
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(probeTimeout).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return new Result(Outcome.HEALTHY, "the web tier at " + web + " is healthy");
                    }
                    last = "HTTP " + response.statusCode() + " " + response.body().strip();
                } catch (IOException e) {
                    last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
                bar.note(last);
                Thread.sleep(2000);
            }
        }
        return new Result(Outcome.TIMED_OUT, "the web tier at " + web + " was not healthy within " + timeout.toSeconds()
                + " s (last: " + last + "); the server's console log ('openstack console log show') says why");
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
