package dev.hybrid.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        WebHealthWait.Result result = WebHealthWait.await(web, Duration.ofSeconds(1), Duration.ofSeconds(1), ProgressBars.NONE);
        assertEquals(WebHealthWait.Outcome.TIMED_OUT, result.outcome(), result.message());
        assertTrue(result.message().contains("console log"), result.message());
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
