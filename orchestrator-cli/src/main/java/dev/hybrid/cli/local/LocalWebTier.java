package dev.hybrid.cli.local;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.aws.WebTierCredentials;
import dev.hybrid.contract.EnvNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * The web tier as a process on this machine while queues, buckets, IAM and the workers' launch template are on
 * real AWS ({@code --os-cloud local --aws PROFILE}). It authenticates with the stack's own narrow web-tier key,
 * which reaches it only through a 0600 credentials file named in its environment: never its command line, a log
 * or the record, which holds the key id alone.
 */
public final class LocalWebTier {
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final String PROFILE = "default";
    /**
     * Whatever identity this shell has must not reach the child: the SDK's default chain would take any of these
     * before the credentials file, and the web tier would run with the operator's (wider) rights.
     */
    static final Set<String> INHERITED_IDENTITY = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
            "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            // The web tier's own settings come from the stack, not from whatever this shell exported.
            EnvNames.WORKER_JAR, EnvNames.LAUNCH_TEMPLATE_ID, EnvNames.BASE_WORKERS, EnvNames.WORKERS_MAX, EnvNames.WARM_POOL);

    /**
     * What the web tier is started with, all of it from the walk's outputs and the target.
     *
     * @param tierSettings     queue URLs and bucket names under the variable names the web tier reads
     * @param sqsEndpoint      null on AWS itself; the same endpoint the orchestrator used otherwise
     * @param launchTemplateId the app tier's launch template; null for a web tier without elastic workers
     * @param endpoints        other AWS_ENDPOINT_URL* variables the orchestrator ran with, e.g. for EC2
     * @param port             null for 8080, or a free port if 8080 is taken
     */
    public record Launch(Map<String, String> tierSettings, String region, URI sqsEndpoint, URI s3Endpoint, boolean pathStyle,
                         String stack, String launchTemplateId, Map<String, String> endpoints, Integer port, int workersMax,
                         int warmPool, String reply) {
        public Launch {
            tierSettings = Map.copyOf(tierSettings);
            endpoints = Map.copyOf(endpoints);
        }

        /** Changes when anything the web tier was started with changes; holds no secret. */
        public String fingerprint(String accessKeyId) {
            Map<String, String> all = new TreeMap<>(tierSettings);
            all.putAll(endpoints);
            all.put("region", region);
            all.put("sqs", String.valueOf(sqsEndpoint));
            all.put("s3", String.valueOf(s3Endpoint));
            all.put("pathStyle", Boolean.toString(pathStyle));
            all.put("stack", stack);
            all.put("launchTemplate", String.valueOf(launchTemplateId));
            all.put("accessKeyId", accessKeyId);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(all.toString().getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest).substring(0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }

    private final String stack;
    private final LocalLayout layout;

    public LocalWebTier(String stack, Map<String, String> env) {
        this.stack = stack;
        this.layout = LocalLayout.forLocalWeb(stack, env);
    }

    public LocalLayout layout() {
        return layout;
    }

    public Optional<LocalWebRecord> recorded() {
        return LocalWebRecord.read(layout.webRecord());
    }

    /** The recorded web tier, if its pid still runs and is still the process that was recorded (pids get reused). */
    public Optional<LocalWebRecord> running() {
        return recorded().filter(LocalWebTier::ours);
    }

    static boolean ours(LocalWebRecord record) {
        return ProcessHandle.of(record.pid()).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().startInstant().map(started -> started.toEpochMilli() <= record.startedAtMillis())
                        .orElse(true))
                .isPresent();
    }

    /** The key a former up stored, if it is the key IAM has now; IAM never shows a secret again after creating it. */
    public Optional<WebTierCredentials> storedCredentials(String accessKeyId) {
        Path file = layout.webCredentials();
        if (accessKeyId == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
            String id = values.get("aws_access_key_id");
            String secret = values.get("aws_secret_access_key");
            return accessKeyId.equals(id) && secret != null && !secret.isEmpty()
                    ? Optional.of(new WebTierCredentials(id, secret)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores the key (0600, written whole or not at all), starts the web tier and records it once it is ready. */
    public LocalWebRecord start(Launch launch, WebTierCredentials credentials) {
        layout.requireWebJar();
        int port = LocalStack.choosePort(launch.port());
        writeCredentials(credentials);
        Path log = layout.logs().resolve("web.log");
        long startedAt = System.currentTimeMillis();
        try {
            long from = ChildProcess.end(log);
            Process web = ChildProcess.start(command(launch, port), environment(launch), INHERITED_IDENTITY, log);
            Matcher ready;
            try {
                ready = ChildProcess.awaitLine(web, log, from, LocalStack.WEB_READY, LocalStack.START_TIMEOUT, "the web tier");
            } catch (RuntimeException | InterruptedException e) {
                ChildProcess.stop(web.pid(), STOP_GRACE);
                throw e;
            }
            LocalWebRecord record = new LocalWebRecord(stack, ready.group(1), web.pid(), port,
                    launch.fingerprint(credentials.accessKeyId()), credentials.accessKeyId(), launch.launchTemplateId(), startedAt);
            record.write(layout.webRecord());
            return record;
        } catch (IOException e) {
            throw new LocalStackException("cannot start the web tier: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while the web tier started");
        }
    }

    /** Settings only: everything that varies is in the environment, and nothing in here is secret. */
    List<String> command(Launch launch, int port) {
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), "-Xmx768m", "-jar", layout.webJar().toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--workers-max", Integer.toString(launch.workersMax()), "--warm-pool", Integer.toString(launch.warmPool())));
        if (launch.reply() != null) {
            command.addAll(List.of("--reply", launch.reply()));
        }
        return command;
    }

    Map<String, String> environment(Launch launch) {
        Map<String, String> env = new LinkedHashMap<>(launch.tierSettings());
        env.putAll(launch.endpoints());
        env.put("AWS_REGION", launch.region());
        if (launch.sqsEndpoint() != null) {
            env.put("AWS_ENDPOINT_URL_SQS", launch.sqsEndpoint().toString());
        }
        if (launch.s3Endpoint() != null) {
            env.put("AWS_ENDPOINT_URL_S3", launch.s3Endpoint().toString());
        }
        env.put(EnvNames.S3_PATH_STYLE, Boolean.toString(launch.pathStyle()));
        env.put(EnvNames.STACK, launch.stack());
        if (launch.launchTemplateId() != null) {
            env.put(EnvNames.LAUNCH_TEMPLATE_ID, launch.launchTemplateId());
        }
        // The file serves as both config and credentials file, so no profile of ~/.aws (a role, SSO) can take over.
        env.put("AWS_SHARED_CREDENTIALS_FILE", layout.webCredentials().toString());
        env.put("AWS_CONFIG_FILE", layout.webCredentials().toString());
        env.put("AWS_PROFILE", PROFILE);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("OPT_OUT_TRACKING", "true");
        return env;
    }

    void writeCredentials(WebTierCredentials credentials) {
        Path file = layout.webCredentials();
        try {
            Files.createDirectories(layout.stackDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            // Created 0600 before the secret is written into it: there is no moment when others may read it.
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, "[" + PROFILE + "]\naws_access_key_id = " + credentials.accessKeyId()
                    + "\naws_secret_access_key = " + credentials.secretAccessKey() + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the web tier's credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    /** What {@link #stop} stopped and what still runs. */
    public record Stopped(List<Long> stopped, List<Long> stillRunning) {}

    /** Stops the recorded pid and anything it started, by pid only, and forgets the pid; the stored key stays for a restart. */
    public Stopped stop() throws InterruptedException {
        List<Long> stopped = new ArrayList<>();
        List<Long> stillRunning = new ArrayList<>();
        Optional<LocalWebRecord> record = recorded();
        if (record.isPresent()) {
            long pid = record.get().pid();
            List<Long> all = new ArrayList<>();
            if (ours(record.get())) {
                all.add(pid);
                ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).map(ProcessHandle::pid).forEach(all::add);
            }
            // Workers that outlived it (a SIGKILL of the web tier), whether or not it still runs.
            all.addAll(ChildProcess.orphanedWorkers(pid));
            for (long each : all) {
                if (ChildProcess.alive(each)) {
                    (ChildProcess.stop(each, STOP_GRACE) ? stopped : stillRunning).add(each);
                }
            }
        }
        if (stillRunning.isEmpty()) {
            delete(layout.webRecord());
        }
        return new Stopped(stopped, stillRunning);
    }

    /** {@link #stop}, then, if nothing is left running, the key, the logs and the directory too. */
    public Stopped teardown() throws InterruptedException {
        Stopped stopped = stop();
        if (stopped.stillRunning().isEmpty()) {
            delete(layout.webCredentials());
            LocalStack.deleteTree(layout.stackDir());
        }
        return stopped;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }
}
