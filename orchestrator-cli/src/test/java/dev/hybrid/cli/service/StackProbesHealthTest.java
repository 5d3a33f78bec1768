package dev.hybrid.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StackProbesHealthTest {

    private static StackProbes.Health healthOf(String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            return StackProbes.health(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void statusShowsTheWorkersEngineCheckLoudlyWhenItFoundWrongLogits() throws Exception {
        StackProbes.Health safe = healthOf("{\"status\":\"ok\",\"model\":\"trained\",\"engine\":\"safe-isa\"}");
        assertEquals("safe-isa", safe.engine());
        assertEquals("trained", safe.model());
        assertTrue(safe.engineNotice().contains("DNNL_MAX_CPU_ISA=SSE41"), safe.engineNotice());

        StackProbes.Health verified = healthOf("{\"status\":\"ok\",\"model\":\"trained\",\"engine\":\"verified\"}");
        assertEquals("verified", verified.engine());
        assertEquals("", verified.engineNotice());

        assertEquals("unknown", healthOf("{\"status\":\"ok\",\"model\":\"trained\"}").engine(), "a web tier that does not report it");
    }
}
