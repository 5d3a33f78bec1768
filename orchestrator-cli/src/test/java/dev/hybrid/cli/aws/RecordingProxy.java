package dev.hybrid.cli.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reverse proxy on loopback in front of moto that names every AWS call passing through
 * ({@code ec2:RunInstances}, {@code sqs:CreateQueue}, {@code s3:PUT bucket?tagging}), so a test
 * can count what a {@code hybrid} process did without being inside it.
 */
final class RecordingProxy implements AutoCloseable {
    private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");
    /** Headers the JDK client sets itself or refuses to set. */
    private static final Set<String> HOP = Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding",
            "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> READ_ONLY_S3 = Set.of("GET", "HEAD");

    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicReference<String> trap = new java.util.concurrent.atomic.AtomicReference<>();
    private volatile Runnable sprung = () -> { };

    RecordingProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::forward);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String name = name(exchange, body);
            calls.add(name);
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getRawPath()
                            + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                    .timeout(Duration.ofMinutes(2))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((header, values) -> {
                if (!HOP.contains(header.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(header, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            String armed = trap.get();
            if (name.equals(armed) && trap.compareAndSet(armed, null)) {
                // The call took effect, and its caller never hears of it.
                sprung.run();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            response.headers().map().forEach((header, values) -> {
                if (!HOP.contains(header.toLowerCase(Locale.ROOT)) && !header.startsWith(":")) {
                    exchange.getResponseHeaders().put(header, values);
                }
            });
            byte[] bytes = response.body();
            boolean noBody = exchange.getRequestMethod().equals("HEAD") || bytes.length == 0;
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : bytes.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** {@code service:Operation}; for S3 (REST) {@code s3:METHOD bucket[/key][?subresource]}. */
    static String name(HttpExchange exchange, byte[] body) {
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        Matcher service = SERVICE.matcher(authorization);
        String serviceName = service.find() ? service.group(1) : "unknown";
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (amzTarget != null) {
            return serviceName + ":" + amzTarget.substring(amzTarget.lastIndexOf('.') + 1);
        }
        String form = new String(body, StandardCharsets.UTF_8);
        Matcher action = ACTION.matcher(form);
        if (action.find()) {
            return serviceName + ":" + action.group(1);
        }
        String query = exchange.getRequestURI().getRawQuery();
        Matcher queryAction = query == null ? null : ACTION.matcher(query);
        if (queryAction != null && queryAction.find()) {
            return serviceName + ":" + queryAction.group(1);
        }
        String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        String[] parts = path.replaceFirst("^/", "").split("/", 2);
        String shape = parts[0].isEmpty() ? "" : parts.length == 1 || parts[1].isEmpty() ? "bucket" : "bucket/key";
        String subresource = query == null ? "" : "?" + query.split("[=&]")[0];
        return serviceName + ":" + exchange.getRequestMethod() + " " + shape + subresource;
    }

    /**
     * Once, when a call named {@code operation} has been answered by moto: runs {@code action}
     * (e.g. kills the caller) before the answer goes back.
     */
    void onceAfter(String operation, Runnable action) {
        sprung = action;
        trap.set(operation);
    }

    /** Every call so far, in arrival order. */
    List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The calls that may change something: anything but Describe/List/Get/Head, and for S3 anything but GET and HEAD. */
    List<String> mutating() {
        return calls().stream().filter(RecordingProxy::mutates).toList();
    }

    static boolean mutates(String call) {
        String operation = call.substring(call.indexOf(':') + 1);
        if (call.startsWith("s3:")) {
            return !READ_ONLY_S3.contains(operation.split(" ")[0]);
        }
        return !(operation.startsWith("Describe") || operation.startsWith("List") || operation.startsWith("Get") || operation.startsWith("Head"));
    }

    void clear() {
        calls.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
