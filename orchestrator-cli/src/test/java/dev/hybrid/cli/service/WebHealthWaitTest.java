package dev.hybrid.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.VirtualClock;
import dev.hybrid.cli.engine.Waiter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebHealthWaitTest {

    @Test
    void waitsThroughUnhealthyAnswersUntilHealthz200() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            boolean ready = calls.incrementAndGet() >= 2;
            byte[] body = (ready ? "{\"status\":\"ok\"}" : "{\"status\":\"starting\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ready ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI web = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            WebHealthWait.Result result = WebHealthWait.await(web, Duration.ofSeconds(60), Duration.ofSeconds(2), ProgressBars.NONE);
            assertEquals(WebHealthWait.Outcome.HEALTHY, result.outcome(), result.message());
            assertEquals(2, calls.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPortThatRefusesUntilTheDeadlineIsATimeoutThatSaysWhereToLook() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI web = URI.create("http://127.0.0.1:" + closedPort + "/");
        VirtualClock clock = new VirtualClock();
        WebHealthWait.Result result = WebHealthWait.await(web, Duration.ofSeconds(6), Duration.ofSeconds(1), new Waiter(clock, ProgressBars.NONE));
        assertEquals(WebHealthWait.Outcome.TIMED_OUT, result.outcome(), "a refusal proves a route: " + result.message());
        assertTrue(result.message().contains("was not healthy within 6 s (last: connection refused)"), result.message());
    }

    /**
     * A server still booting and a floating IP not routed here look the same from this machine: silence. up waits
     * through it until the health timeout (it used to give up after one 5 s probe and exit 0), then says the address
     * never answered.
     */
    @Test
    void anAddressThatStaysSilentIsWaitedForUntilTheTimeoutThenUnreachable() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                        accepted.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    held.forEach(socket -> {
                        try {
                            socket.close();
                        } catch (java.io.IOException ignored) {
                            // closing
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI web = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
            VirtualClock clock = new VirtualClock();
            WebHealthWait.Result result = WebHealthWait.await(web, Duration.ofSeconds(20), Duration.ofMillis(200),
                    new Waiter(clock, ProgressBars.NONE));
            assertEquals(WebHealthWait.Outcome.UNREACHABLE, result.outcome(), result.message());
            assertTrue(result.message().contains("did not answer within 20 s"), result.message());
            assertEquals(Duration.ofSeconds(20), clock.elapsed(), "waited the whole health timeout, in virtual time");
            assertEquals(11, accepted.get(), "one look at 0 s and every 2 s until 20 s");
        }
    }

    @Test
    void aServerThatGoesToErrorEndsTheWaitAtOnceWithNovasFault() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        AtomicInteger looks = new AtomicInteger();
        VirtualClock clock = new VirtualClock();
        WebHealthWait.Result result = WebHealthWait.await(URI.create("http://127.0.0.1:" + closedPort + "/"), Duration.ofSeconds(300),
                Duration.ofSeconds(1), new Waiter(clock, ProgressBars.NONE), () -> looks.incrementAndGet() < 3
                        ? java.util.Optional.empty() : java.util.Optional.of("server srv-1 went to ERROR: No valid host was found."));
        assertEquals(WebHealthWait.Outcome.SERVER_FAILED, result.outcome(), result.message());
        assertEquals("server srv-1 went to ERROR: No valid host was found.", result.message());
        assertEquals(Duration.ofSeconds(4), clock.elapsed(), "the third look, at 4 s, saw ERROR: no waiting for the timeout");
    }

    @Test
    void aRefusalCountsAsAnAnswerButSilenceAndNoRouteDoNot() {
        assertTrue(WebHealthWait.refused(new java.net.ConnectException()));
        assertTrue(WebHealthWait.refused(new java.io.IOException("wrapped", new java.net.ConnectException("Connection refused"))));
        assertFalse(WebHealthWait.refused(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out")));
        assertFalse(WebHealthWait.refused(new java.net.ConnectException("No route to host")));
        assertFalse(WebHealthWait.refused(new java.io.IOException("wrapped", new java.net.NoRouteToHostException("No route to host"))));
        assertFalse(WebHealthWait.refused(new java.net.http.HttpTimeoutException("request timed out")));
        assertFalse(WebHealthWait.refused(new java.io.IOException("HTTP/1.1 header parser received no bytes")), "only a refusal counts");
    }

    @Test
    void aWebTierThatNeverAnswers200TimesOutInVirtualTimeNamingItsLastAnswer() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            calls.incrementAndGet();
            byte[] body = "{\"status\":\"starting\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI web = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            VirtualClock clock = new VirtualClock();
            WebHealthWait.Result result = WebHealthWait.await(web, Duration.ofSeconds(10), Duration.ofSeconds(2),
                    new Waiter(clock, ProgressBars.NONE));
            assertEquals(WebHealthWait.Outcome.TIMED_OUT, result.outcome(), result.message());
            assertTrue(result.message().contains("was not healthy within 10 s (last: HTTP 503 {\"status\":\"starting\"})"), result.message());
            assertEquals(6, calls.get(), "one look at 0 s and every 2 s until 10 s, in virtual time");
            assertEquals(Duration.ofSeconds(10), clock.elapsed());
        } finally {
            server.stop(0);
        }
    }
}
