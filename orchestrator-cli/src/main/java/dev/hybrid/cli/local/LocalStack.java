package dev.hybrid.cli.local;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.contract.EnvNames;
import dev.hybrid.localaws.LocalAws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The processes of a local stack: the emulators, and the web tier, whose autoscaler launches the
 * workers. Queues and buckets are not made here: the same engine walk that provisions AWS makes
 * them, pointed at the emulators.
 */
public final class LocalStack {
    private static final Pattern EMULATORS_READY = Pattern.compile(EmulatorMain.READY_PREFIX + " sqs=(\\S+) s3=(\\S+)");
    /** The web-tier jar's ready line, and how long a child may take to print its ready line. */
    static final Pattern WEB_READY = Pattern.compile("hybrid-web ready url=(\\S+)");
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String stack;
    private final LocalLayout layout;
    private final Map<String, String> env;

    public LocalStack(String stack, Map<String, String> env) {
        this.stack = stack;
        this.env = env;
        this.layout = LocalLayout.of(stack, env);
    }

    public LocalLayout layout() {
        return layout;
    }

    /** The record of a stack whose processes still run; a record whose processes all died is stale. */
    public Optional<LocalRecord> running() {
        return LocalRecord.read(layout.record()).filter(r -> r.webAlive() || r.emulatorAlive());
    }

    /** How one process of the stack is: running and answering, gone, or alive but not answering (hung, e.g. SIGSTOPped). */
    public enum Condition {
        RUNNING("running"), GONE("gone"), NOT_ANSWERING("not answering");

        private final String words;

        Condition(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /** The web tier's and the emulators' conditions, as {@code up} finds them before it acts. */
    public record Check(Condition web, Condition emulators) {
        public boolean healthy() {
            return web == Condition.RUNNING && emulators == Condition.RUNNING;
        }

        /** Nothing of the stack is left: a plain start, not a repair. */
        public boolean allGone() {
            return web == Condition.GONE && emulators == Condition.GONE;
        }
    }

    /** How long one look at a process's port may take before it counts as not answering. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Each recorded process checked for life and health: the emulators must answer HTTP on both their ports, the web
     * tier on {@code /healthz} (any status: a 503 there only says that the emulators are down), or, while the emulators
     * do not answer (its health check then waits on them), on {@code /}. A pid that runs a
     * process started after the record was written is another process that got the pid, and counts as gone.
     */
    public Check check(LocalRecord record) {
        Condition emulators = !ours(record.emulatorPid(), record) ? Condition.GONE
                : answers(URI.create(record.sqsEndpoint())) && answers(URI.create(record.s3Endpoint())) ? Condition.RUNNING
                : Condition.NOT_ANSWERING;
        // With the emulators hung, /healthz waits on them; then the upload page, which needs nothing else, shows the web tier answers.
        Condition web = !ours(record.webPid(), record) ? Condition.GONE
                : answers(URI.create(record.url()).resolve("/healthz"))
                        || emulators != Condition.RUNNING && answers(URI.create(record.url()).resolve("/")) ? Condition.RUNNING
                : Condition.NOT_ANSWERING;
        return new Check(web, emulators);
    }

    private static boolean ours(long pid, LocalRecord record) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> !ChildProcess.exited(pid))
                .filter(process -> process.info().startInstant().map(started -> started.toEpochMilli() <= record.startedAtMillis() + 1000)
                        .orElse(true))
                .isPresent();
    }

    /** Whether anything answers HTTP at {@code uri} within {@link #PROBE_TIMEOUT}; any status counts. */
    static boolean answers(URI uri) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
        try {
            http.send(java.net.http.HttpRequest.newBuilder(uri).timeout(PROBE_TIMEOUT).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Optional<LocalRecord> recorded() {
        return LocalRecord.read(layout.record());
    }

    /** How long a second {@code up} waits for the first to finish before it gives up. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(5);

    /** Held while one {@code up} changes the stack's processes; closing it lets the next one in. */
    public interface UpLock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The stack's lock ({@code up.lock} in its directory, an OS file lock, released should this process die), waited for
     * up to {@code wait}; a one-line configuration error when another {@code up} still holds it.
     */
    public UpLock lockForUp(Duration wait) throws InterruptedException {
        Path file = layout.stackDir().resolve("up.lock");
        try {
            Files.createDirectories(file.getParent());
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                java.nio.channels.FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    lock = null; // held by this very process, by another up of the same stack
                }
                if (lock != null) {
                    java.nio.channels.FileLock held = lock;
                    return () -> {
                        try {
                            held.release();
                            channel.close();
                        } catch (IOException e) {
                            // closing the channel releases the lock anyway; nothing else to do
                        }
                    };
                }
                if (System.nanoTime() >= deadline) {
                    channel.close();
                    throw new ConfigurationException("another 'hybrid up' holds stack " + stack + " (" + file + "): wait for it to "
                            + "finish, then run this again");
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Emulator endpoints, once they answer. */
    public record Emulators(long pid, URI sqs, URI s3) {}

    /**
     * The emulators' ports, kept beside the data (a teardown with --keep-data keeps them): the state cache and the
     * kept objects name the queues and buckets by URL, so the next up starts the emulators on the same ports.
     */
    public record EmulatorPorts(int sqs, int s3) {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        static Optional<EmulatorPorts> read(Path file) {
            try {
                return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), EmulatorPorts.class)) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        void write(Path file) throws IOException {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), this);
        }
    }

    Path emulatorPortsFile() {
        return layout.stackDir().resolve("emulator-ports.json");
    }

    /** The ports the emulators had last, kept beside the data; empty before the first up. */
    public Optional<EmulatorPorts> keptPorts() {
        return EmulatorPorts.read(emulatorPortsFile());
    }

    public Emulators startEmulators() {
        layout.requireJars();
        Path log = layout.logs().resolve("emulators.log");
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                EmulatorMain.class.getName(), "--data", layout.s3Data().toString()));
        // Each port as before when it is free; a taken one is replaced by a free one, and the walk and the web tier that
        // follow take the endpoints from the ready line, so the new port is recorded everywhere (the S3 data is on disk).
        EmulatorPorts.read(emulatorPortsFile()).ifPresent(ports -> {
            if (free(ports.sqs())) {
                command.addAll(List.of("--sqs-port", Integer.toString(ports.sqs())));
            }
            if (free(ports.s3())) {
                command.addAll(List.of("--s3-port", Integer.toString(ports.s3())));
            }
        });
        try {
            long from = ChildProcess.end(log);
            Process process = ChildProcess.start(command, Map.of(), log);
            Matcher ready = ChildProcess.awaitLine(process, log, from, EMULATORS_READY, START_TIMEOUT, "the SQS/S3 emulators");
            Emulators emulators = new Emulators(process.pid(), URI.create(ready.group(1)), URI.create(ready.group(2)));
            new EmulatorPorts(emulators.sqs().getPort(), emulators.s3().getPort()).write(emulatorPortsFile());
            return emulators;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the emulators: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while the emulators started");
        }
    }

    /** What the web tier is started with, beyond where the queues and buckets are. */
    public record WebOptions(Integer port, int workersMax, int warmPool, int baseWorkers, String reply, String model, String labels,
                             String profile, Long memoryBudgetMb) {}

    /** Starts the web tier and records the stack; stops the emulators again should the web tier fail. */
    public LocalRecord startWeb(Emulators emulators, Map<String, String> tierSettings, WebOptions options) {
        return startWeb(emulators, tierSettings, options, true);
    }

    /** As {@link #startWeb(Emulators, Map, WebOptions)}; a repair keeps emulators that were running before it ({@code stopEmulatorsOnFailure} false). */
    public LocalRecord startWeb(Emulators emulators, Map<String, String> tierSettings, WebOptions options, boolean stopEmulatorsOnFailure) {
        int port = choosePort(options.port());
        Map<String, String> childEnv = new HashMap<>(tierSettings);
        childEnv.put("AWS_REGION", LocalAws.REGION);
        childEnv.put("AWS_ENDPOINT_URL_SQS", emulators.sqs().toString());
        childEnv.put("AWS_ENDPOINT_URL_S3", emulators.s3().toString());
        childEnv.put(EnvNames.S3_PATH_STYLE, "true");
        // The emulators' fixed public keys; never real credentials, and never on a command line.
        childEnv.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
        childEnv.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
        childEnv.put("OPT_OUT_TRACKING", "true");
        childEnv.put(EnvNames.WORKER_LOG_DIR, layout.logs().toString());
        putIfSet(childEnv, EnvNames.MODEL_URL, options.model());
        putIfSet(childEnv, EnvNames.MODEL_LABELS, options.labels() == null ? null : Path.of(options.labels()).toAbsolutePath().toString());
        putIfSet(childEnv, EnvNames.MODEL_PROFILE, options.profile());
        // --memory-budget; without it the web tier takes HYBRID_WORKER_MEMORY_MB from this environment, or derives one.
        putIfSet(childEnv, EnvNames.WORKER_MEMORY_MB, options.memoryBudgetMb() == null ? null : options.memoryBudgetMb().toString());

        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), "-Xmx768m", "-jar", layout.webJar().toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--worker-jar", layout.workerJar().toString(),
                "--workers-max", Integer.toString(options.workersMax()),
                "--warm-pool", Integer.toString(options.warmPool()),
                "--base-workers", Integer.toString(options.baseWorkers())));
        if (options.reply() != null) {
            command.addAll(List.of("--reply", options.reply()));
        }
        Path log = layout.logs().resolve("web.log");
        try {
            long from = ChildProcess.end(log);
            Process web = ChildProcess.start(command, childEnv, log);
            Matcher ready = ChildProcess.awaitLine(web, log, from, WEB_READY, START_TIMEOUT, "the web tier");
            LocalRecord record = new LocalRecord(stack, ready.group(1), web.pid(), emulators.pid(), port,
                    emulators.sqs().toString(), emulators.s3().toString(), System.currentTimeMillis(), options);
            record.write(layout.record());
            return record;
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (stopEmulatorsOnFailure) {
                stopQuietly(emulators.pid());
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new LocalStackException("cannot start the web tier: " + e.getMessage());
        }
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null && !value.isBlank()) {
            env.put(name, value);
        }
    }

    /** The requested port, or 8080, or, when the default is taken, a free one; an explicit port that is taken is an error. */
    static int choosePort(Integer requested) {
        int wanted = requested == null ? 8080 : requested;
        if (free(wanted)) {
            return wanted;
        }
        if (requested != null) {
            throw new ConfigurationException("port " + wanted + " on 127.0.0.1 is in use: pick another with --port, "
                    + "or leave --port out to take a free one");
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What teardown stopped and what, if anything, still runs. */
    public record Stopped(List<Long> stopped, List<Long> stillRunning) {}

    /**
     * Stops the recorded web tier with the workers it launched, then the emulators, by pid only;
     * removes the local data unless it is to be kept.
     */
    public Stopped teardown(boolean keepData) throws InterruptedException, IOException {
        Optional<LocalRecord> record = recorded();
        List<Long> stopped = new ArrayList<>();
        List<Long> stillRunning = new ArrayList<>();
        if (record.isPresent()) {
            LocalRecord r = record.get();
            Stopped web = stopWeb(r);
            Stopped emulators = stopEmulators(r);
            stopped.addAll(web.stopped());
            stopped.addAll(emulators.stopped());
            stillRunning.addAll(web.stillRunning());
            stillRunning.addAll(emulators.stillRunning());
            Files.deleteIfExists(layout.record());
        }
        if (!keepData && stillRunning.isEmpty()) {
            deleteTree(layout.stackDir());
        }
        return new Stopped(stopped, stillRunning);
    }

    /**
     * Stops the recorded web tier and the workers it launched, by pid only. The web tier stops its workers itself; any that
     * outlive it, even a SIGKILL of it, are stopped by their pids too. A hung (SIGSTOPped) one is continued, then ended.
     */
    public Stopped stopWeb(LocalRecord r) throws InterruptedException {
        List<Long> workers = ProcessHandle.of(r.webPid()).stream().flatMap(ProcessHandle::descendants)
                .map(ProcessHandle::pid).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        workers.addAll(ChildProcess.orphanedWorkers(r.webPid()));
        return stopAll(concat(List.of(r.webPid()), workers, List.of()));
    }

    /** Stops the recorded emulators by their pid. */
    public Stopped stopEmulators(LocalRecord r) throws InterruptedException {
        return stopAll(List.of(r.emulatorPid()));
    }

    private static Stopped stopAll(List<Long> pids) throws InterruptedException {
        List<Long> stopped = new ArrayList<>();
        List<Long> stillRunning = new ArrayList<>();
        for (long pid : pids) {
            if (!ChildProcess.alive(pid)) {
                continue;
            }
            (ChildProcess.stop(pid, Duration.ofSeconds(30)) ? stopped : stillRunning).add(pid);
        }
        return new Stopped(stopped, stillRunning);
    }

    /** The record of a stack whose emulators were started again under its running web tier. */
    public LocalRecord withEmulators(LocalRecord r, Emulators emulators) {
        LocalRecord record = new LocalRecord(r.stack(), r.url(), r.webPid(), emulators.pid(), r.webPort(), emulators.sqs().toString(),
                emulators.s3().toString(), System.currentTimeMillis(), r.web());
        record.write(layout.record());
        return record;
    }

    private static List<Long> concat(List<Long> a, List<Long> b, List<Long> c) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    private static void stopQuietly(long pid) {
        try {
            ChildProcess.stop(pid, Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }
}
