package dev.hybrid.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * moto's server ({@code python3 -m moto.server}), the AWS API emulator for EC2, IAM, STS, SQS and
 * S3, on a free loopback port, for tests. {@code local-aws/moto/install.sh} installs it; a test that
 * needs it fails with one line when it is not installed, unless {@code -Dhybrid.moto.skip=true}
 * (then it is skipped).
 *
 * <p>Unlike ElasticMQ and S3Proxy it runs in its own process (Python); it is stopped by its pid.
 * {@link #reset()} empties every service between tests, which is much cheaper than a restart.
 */
public final class MotoServer implements AutoCloseable {
    /** moto's fixed account. */
    public static final String ACCOUNT_ID = "123456789012";
    public static final String REGION = "us-east-1";
    /** Any keys work unless IAM is enforced; these are not secrets. */
    public static final String ACCESS_KEY_ID = "motoTestingKey";
    public static final String SECRET_ACCESS_KEY = "motoTestingSecret";
    public static final String SKIP_PROPERTY = "hybrid.moto.skip";
    static final String PYTHON = "/usr/bin/python3";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    private static MotoServer shared;

    /**
     * One moto with its defaults for every test class of the JVM, started on first use and stopped
     * (by pid) when the JVM exits: a start costs seconds, a {@link #reset()} milliseconds. Callers
     * reset it before each test and never close it.
     */
    public static synchronized MotoServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            MotoServer started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "moto-stop"));
            shared = started;
        }
        return shared;
    }

    /** Starts moto with its defaults. */
    public static MotoServer start() {
        return start(Map.of());
    }

    /**
     * Starts moto with extra environment, e.g. {@code INITIAL_NO_AUTH_ACTION_COUNT} to enforce IAM
     * policies after that many calls.
     */
    public static MotoServer start(Map<String, String> environment) {
        String pythonPath = installedPythonPath();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                Path log = Files.createTempFile("moto-" + port + "-", ".log");
                ProcessBuilder builder = new ProcessBuilder(PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().putAll(environment);
                if (!pythonPath.isEmpty()) {
                    builder.environment().put("PYTHONPATH", pythonPath);
                }
                MotoServer server = new MotoServer(builder.start(), URI.create("http://127.0.0.1:" + port), log);
                try {
                    server.awaitReady();
                    return server;
                } catch (IllegalStateException e) {
                    server.close();
                    last = e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not start moto: " + e.getMessage(), e);
            }
        }
        throw last;
    }

    /**
     * The PYTHONPATH the install script recorded, or a one-line failure (or a skip, when asked)
     * saying how to install moto.
     */
    static String installedPythonPath() {
        Optional<Path> marker = repositoryRoot().map(root -> root.resolve("local-aws/moto/dist/pythonpath")).filter(Files::isRegularFile);
        if (marker.isPresent() && Files.isExecutable(Path.of(PYTHON))) {
            try {
                String relative = Files.readString(marker.get()).strip();
                return relative.isEmpty() ? "" : marker.get().resolveSibling(relative).toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String message = "moto is not installed: run 'sudo bash local-aws/moto/install.sh' (or pass -D" + SKIP_PROPERTY
                + "=true to skip the tests that need it)";
        if (Boolean.getBoolean(SKIP_PROPERTY)) {
            Assumptions.abort(message);
        }
        throw new IllegalStateException(message);
    }

    /** The checkout: the first directory upwards from the working directory that holds local-aws/moto/install.sh. */
    public static Optional<Path> repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("local-aws/moto/install.sh"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with code " + process.exitValue() + " before it answered: " + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto", e);
            }
        }
        throw new IllegalStateException("moto did not answer on " + endpoint + " within " + START_TIMEOUT.toSeconds() + " s: " + logTail());
    }

    /** The last lines moto printed, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Where every service answers, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Forgets every resource of every service, and turns IAM enforcement off again: what a test
     * leaves is gone before the next.
     */
    public void reset() {
        post("/moto-api/reset");
        stopEnforcingIam();
    }

    /**
     * From the next call on, moto checks every request's signature against the IAM users' and
     * assumed roles' keys and their policies ({@code POST /moto-api/reset-auth}, the server-mode
     * form of moto's {@code INITIAL_NO_AUTH_ACTION_COUNT}). moto's own test keys stop working:
     * set up everything first.
     */
    public void enforceIam() {
        post("/moto-api/reset-auth", "0");
    }

    /** moto's default: no call is authenticated or authorized. */
    public void stopEnforcingIam() {
        post("/moto-api/reset-auth", "inf");
    }

    /** POSTs to one of moto's own endpoints ({@code /moto-api/...}); fails on anything but 2xx. */
    public String post(String path) {
        return post(path, null);
    }

    private String post(String path, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30))
                    .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("moto answered " + response.statusCode() + " to POST " + path + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("moto did not answer POST " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the process by its pid: SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover log in the temp directory is harmless
        }
    }
}
