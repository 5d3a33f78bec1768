package dev.hybrid.cli.targets;

import java.nio.file.Path;

import dev.hybrid.cli.output.TerminalProgressBars;

import dev.hybrid.cli.local.LocalWebImageBuild;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.local.LocalLayout;
import dev.hybrid.cli.local.LocalRecord;
import dev.hybrid.cli.local.LocalStack;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.cli.service.StackProbes;
import dev.hybrid.cli.service.WebHealthWait;
import dev.hybrid.contract.EnvNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole service on this machine: emulators and web tier as background processes, the queues
 * and buckets made by the same engine walk as on AWS, workers launched by the web tier's autoscaler.
 */
public final class LocalTarget implements Target {
    private final Console console;
    private final TargetSpec spec;
    private final LocalStack stack;

    LocalTarget(Console console, TargetSpec spec) {
        this.console = console;
        this.spec = spec;
        this.stack = new LocalStack(console.stack(), console.env());
    }

    /** The queues and buckets on the emulators at {@code endpoints}, walked as on AWS; the cache beside the stack's data. */
    private CloudTarget queuesAndBuckets(TargetSpec endpoints) {
        return CloudTarget.underLocalStack(console, endpoints, LocalLayout.of(console.stack(), console.env()).state());
    }

    @Override
    public int plan() {
        return queuesAndBuckets(spec).plan();
    }

    @Override
    public int imageBuild(String tier) {
        if (!tier.equals("web-tier")) {
            throw new ConfigurationException(ImageBuild.NEEDS_EC2);
        }
        // The web tier's disk, built on this machine (debootstrap, no AWS): images/web-tier/build-local.sh.
        Path jar = LocalLayout.of(console.stack(), console.env()).webJar();
        LocalWebImageBuild.Result built = LocalWebImageBuild.run(LocalWebImageBuild.scriptBeside(jar), jar,
                TerminalProgressBars.forConsole(console), line -> {
                    if (console.verbose()) {
                        console.err().println(line);
                    }
                });
        if (console.json()) {
            JsonReports.print(console.out(), JsonReports.object().put("command", "image build").put("ok", true)
                    .put("exitCode", ExitCodes.OK).put("tier", tier).put("vmdk", built.vmdk().toString()).put("reused", built.reused()));
        } else {
            console.out().printf("web-tier VMDK: %s%s%nuse it with: --web-image %s (or openstack.web_image in hybrid.yaml)%n",
                    built.vmdk(), built.reused() ? " (built before from the same inputs)" : "", built.vmdk());
            console.out().flush();
        }
        return ExitCodes.OK;
    }

    /**
     * Starts the emulators, walks the queues and buckets on them, then starts the web tier; one up at a time per
     * stack (a second waits briefly, then exits 2). The foreground wait after the start holds no lock.
     */
    @Override
    public int up(Up request) throws InterruptedException {
        LocalSettings options = request.local();
        options.validate();
        Started started;
        try (LocalStack.UpLock lock = stack.lockForUp(LocalStack.LOCK_WAIT)) {
            started = startLocked(request, options);
        }
        if (started.record() == null) {
            return started.code();
        }
        // Outside the lock: the canary may wait for a first worker to start.
        ServiceCheck.Outcome check = ServiceCheck.run(request, URI.create(started.record().url()),
                web -> WebHealthWait.await(web, request.healthTimeout(), PROBE_TIMEOUT,
                        Waiter.system(TerminalProgressBars.forConsole(console))), List::of, stack.layout().stackDir());
        int code = check.exitCode();
        if (console.json()) {
            ObjectNode document = document("up", code, started.record()).put("changed", started.changed());
            check.putInto(document);
            JsonReports.print(console.out(), document);
        } else {
            check.print(console);
        }
        if (!started.changed() || options.detach() || code != ExitCodes.OK) {
            // A failed canary leaves the processes running, for the user to look at ('teardown --local' stops them).
            return code;
        }
        return foreground(started.record());
    }

    /** How long one look at /healthz may take. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /**
     * What the locked part of up did: its exit code, and the running stack (null when none runs), which this up started
     * ({@code changed}) or found running.
     */
    private record Started(int code, LocalRecord record, boolean changed) {}

    private Started startLocked(Up request, LocalSettings given) throws InterruptedException {
        LocalSettings options = given;
        Optional<LocalRecord> half = stack.halfDown();
        if (half.isPresent()) {
            LocalRecord dead = half.get();
            say("stack %s is half down (web tier %s, emulators %s): restarting it on port %d with its data", dead.stack(),
                    dead.webAlive() ? "running" : "GONE", dead.emulatorAlive() ? "running" : "GONE", dead.webPort());
            try {
                stack.teardown(true);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot stop what is left of stack " + dead.stack() + ": " + e.getMessage(), e);
            }
            if (options.port() == null) {
                options = options.withPort(dead.webPort());
            }
        }
        Optional<LocalRecord> running = stack.running();
        if (running.isPresent()) {
            LocalRecord record = running.get();
            List<String> changed = options.changedFrom(record.web(), record.webPort());
            if (!changed.isEmpty()) {
                throw new ConfigurationException("stack " + record.stack() + " already runs with other settings: "
                        + String.join(", ", changed) + "; to change them run '" + console.command("teardown --local --keep-data")
                        + "' and then this up again");
            }
            if (!console.json()) {
                console.out().printf("stack %s already runs locally at %s (web pid %d, emulators pid %d); nothing changed.%n"
                        + "  '%s' shows it, '%s' stops it.%n",
                        record.stack(), record.url(), record.webPid(), record.emulatorPid(), console.command("status --local"),
                        console.command("teardown --local"));
                console.out().flush();
            }
            return new Started(ExitCodes.OK, record, false);
        }
        say("starting SQS and S3 emulators on 127.0.0.1 (data in %s)", stack.layout().s3Data());
        LocalStack.Emulators emulators = stack.startEmulators();
        WalkReport report;
        try (StackUp walk = queuesAndBuckets(spec.withEndpoints(emulators.sqs(), emulators.s3())).upWalk(request)) {
            report = walk.walk();
        } catch (RuntimeException e) {
            stopEmulators(emulators);
            throw e;
        }
        if (!report.succeeded()) {
            stopEmulators(emulators);
            console.err().println("hybrid: the queues and buckets could not all be made; the emulators were stopped again");
            return new Started(ExitCodes.FAILED, null, false);
        }
        say("starting the web tier (workers start on demand, at most %d)", options.workersMaxOrCores());
        LocalRecord record;
        try {
            record = stack.startWeb(emulators, TierSettings.fromOutputs(report.outputs()),
                    new LocalStack.WebOptions(options.port(), options.workersMaxOrCores(), options.warmPoolOrNone(), options.baseWorkers(), options.reply(), options.model(),
                            options.labels(), options.profile()));
        } catch (RuntimeException e) {
            // e.g. the port is taken: the emulators started for this up must not outlive it
            stopEmulators(emulators);
            throw e;
        }
        if (options.port() == null && record.webPort() != 8080) {
            say("port 8080 is in use; the web tier took port %d instead", record.webPort());
        }
        if (!console.json()) {
            console.out().printf("%nweb tier: %s%n", record.url());
            console.out().printf("  %s   %s   %s%n", console.command("classify IMAGES..."), console.command("status --local"),
                    console.command("teardown --local"));
            console.out().flush();
        }
        return new Started(ExitCodes.OK, record, true);
    }

    /** Streams a compact status until Ctrl-C, then stops the processes and keeps the data. */
    private int foreground(LocalRecord record) throws InterruptedException {
        Thread stopper = new Thread(() -> {
            try {
                console.err().println("\nhybrid: stopping the local stack (data kept; '" + console.command("up --local") + "' resumes it)");
                console.err().flush();
                stack.teardown(true);
            } catch (IOException | InterruptedException e) {
                console.err().println("hybrid: could not stop everything: " + e.getMessage());
            }
        }, "local-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        console.err().println("Running in the foreground; Ctrl-C stops it (use -d to run in the background).");
        String last = "";
        while (record.webAlive()) {
            String line = compactStatus(record);
            if (!line.equals(last)) {
                console.err().println(line);
                console.err().flush();
                last = line;
            }
            Thread.sleep(2000);
        }
        console.err().println("hybrid: the web tier exited; see " + stack.layout().logs().resolve("web.log"));
        return ExitCodes.FAILED;
    }

    private String compactStatus(LocalRecord record) {
        return String.format("%s  health %s  workers %d", Instant.now().toString().substring(11, 19), health(record).status(),
                workers(record).size());
    }

    @Override
    public int status(Status request) {
        Optional<LocalRecord> found = stack.recorded();
        if (found.isEmpty()) {
            if (console.json()) {
                ObjectNode document = JsonReports.object().put("command", "status").put("ok", true).put("exitCode", ExitCodes.OK)
                        .put("stack", console.stack()).put("running", false);
                JsonReports.print(console.out(), document);
            } else {
                console.out().printf("no local stack %s runs; start it with '%s'%n", console.stack(), console.command("up --local"));
                console.out().flush();
            }
            return ExitCodes.OK;
        }
        LocalRecord record = found.get();
        StackProbes.Health health = health(record);
        StackProbes.QueueDepth requests;
        StackProbes.QueueDepth deadLetters;
        try (StackSession session = queuesAndBuckets(recordedEndpoints()).open(ProgressListener.NONE, StackSession.Options.NONE)) {
            Map<String, String> settings = session.cache.read().map(state -> TierSettings.fromOutputs(state.outputs())).orElse(Map.of());
            requests = depth(session, record, settings.get(EnvNames.REQUEST_QUEUE_URL));
            deadLetters = depth(session, record, settings.get(EnvNames.DEAD_LETTER_QUEUE_URL));
        }
        List<ProcessHandle> workers = workers(record);
        Map<String, Long> repliesByWorker = StackProbes.repliesByWorker(URI.create(record.url()));
        Map<Long, Long> imagesDone = imagesDoneByPid(repliesByWorker);
        long imagesDoneInAll = repliesByWorker.values().stream().mapToLong(Long::longValue).sum();
        boolean alive = record.webAlive() && record.emulatorAlive();
        int code = alive && health.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        if (console.json()) {
            ObjectNode document = document("status", code, record);
            document.put("running", alive).put("health", health.status()).put("model", health.model()).put("engine", health.engine())
                    .put("imagesDone", imagesDoneInAll);
            StackProbes.putQueues(document, requests, deadLetters);
            ServiceCheck.statusInto(document, stack.layout().stackDir());
            ArrayNode list = document.putArray("workers");
            for (ProcessHandle worker : workers) {
                list.addObject().put("pid", worker.pid()).put("uptimeSeconds", uptime(worker).toSeconds())
                        .put("imagesDone", imagesDone.getOrDefault(worker.pid(), 0L));
            }
            JsonReports.print(console.out(), document);
        } else {
            console.out().printf("stack %s (local)%n  url       %s  %s%n", record.stack(), record.url(), health.status());
            console.out().printf("  model     %s%s%n", health.model(), "untrained".equals(health.model()) || health.model().startsWith("untrained")
                    ? "   <-- UNTRAINED: random weights, labels are meaningless" : "");
            console.out().printf("  engine    %s%s%n", health.engine(), health.engineNotice());
            console.out().printf("  requests  %s%n", StackProbes.describeQueues(requests, deadLetters));
            ServiceCheck.statusLines(stack.layout().stackDir(), console.command("up --local")).forEach(line -> console.out().println("  " + line));
            console.out().printf("  processes web pid %d %s, emulators pid %d %s%n", record.webPid(), record.webAlive() ? "running" : "GONE",
                    record.emulatorPid(), record.emulatorAlive() ? "running" : "GONE");
            console.out().printf("  workers   %d running, %d images done by all workers so far%n", workers.size(), imagesDoneInAll);
            for (ProcessHandle worker : workers) {
                console.out().printf("            pid %d, up %d s, %d images done%n", worker.pid(), uptime(worker).toSeconds(),
                        imagesDone.getOrDefault(worker.pid(), 0L));
            }
            console.out().flush();
        }
        return code;
    }

    /** Empties and deletes the queues and buckets (unless the data is kept), then stops the processes. */
    @Override
    public int teardown(Teardown request) throws InterruptedException, IOException {
        boolean keepData = request.keepData();
        Optional<LocalRecord> record = stack.recorded();
        WalkReport report = null;
        if (record.isPresent() && record.get().emulatorAlive() && !keepData) {
            TargetSpec emulators = spec.withEndpoints(URI.create(record.get().sqsEndpoint()), URI.create(record.get().s3Endpoint()));
            report = queuesAndBuckets(emulators).teardownWalk(request).report();
        }
        LocalStack.Stopped stopped = stack.teardown(keepData);
        boolean clean = stopped.stillRunning().isEmpty() && (report == null || report.succeeded());
        int code = clean ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        if (console.json()) {
            ObjectNode document = JsonReports.object().put("command", "teardown").put("ok", clean).put("exitCode", code)
                    .put("stack", console.stack()).put("local", true).put("dataKept", keepData);
            ArrayNode list = document.putArray("stopped");
            stopped.stopped().forEach(list::add);
            ArrayNode left = document.putArray("stillRunning");
            stopped.stillRunning().forEach(left::add);
            JsonReports.print(console.out(), document);
        } else {
            if (record.isEmpty()) {
                console.out().printf("no local stack %s was recorded; nothing to stop%n", console.stack());
            } else {
                console.out().printf("stopped %d processes %s%s%n", stopped.stopped().size(), stopped.stopped(),
                        keepData ? "; data kept in " + stack.layout().stackDir() : "; local data removed");
            }
            if (!stopped.stillRunning().isEmpty()) {
                console.err().printf("hybrid: these pids did not stop: %s%n", stopped.stillRunning());
            }
            console.out().flush();
        }
        return code;
    }

    private ObjectNode document(String command, int code, LocalRecord record) {
        return JsonReports.object().put("command", command).put("ok", code == ExitCodes.OK).put("exitCode", code)
                .put("stack", record.stack()).put("local", true).put("url", record.url())
                .put("webPid", record.webPid()).put("emulatorPid", record.emulatorPid())
                .put("sqsEndpoint", record.sqsEndpoint()).put("s3Endpoint", record.s3Endpoint());
    }

    private void say(String format, Object... args) {
        if (!console.json()) {
            console.out().printf(format + "%n", args);
            console.out().flush();
        } else {
            console.err().printf(format + "%n", args);
            console.err().flush();
        }
    }

    private void stopEmulators(LocalStack.Emulators emulators) throws InterruptedException {
        ProcessHandle.of(emulators.pid()).ifPresent(ProcessHandle::destroy);
        ProcessHandle.of(emulators.pid()).ifPresent(h -> h.onExit().join());
    }

    private List<ProcessHandle> workers(LocalRecord record) {
        return ProcessHandle.of(record.webPid()).stream().flatMap(ProcessHandle::children).filter(ProcessHandle::isAlive).toList();
    }

    /** Local workers are named host-pid (the worker's default id), so the id's tail is the process. */
    static Map<Long, Long> imagesDoneByPid(Map<String, Long> repliesByWorker) {
        Map<Long, Long> byPid = new java.util.HashMap<>();
        repliesByWorker.forEach((worker, replies) -> {
            String tail = worker.substring(worker.lastIndexOf('-') + 1);
            if (tail.matches("\\d+")) {
                byPid.merge(Long.parseLong(tail), replies, Long::sum);
            }
        });
        return byPid;
    }

    private static Duration uptime(ProcessHandle process) {
        return process.info().startInstant().map(start -> Duration.between(start, Instant.now())).orElse(Duration.ZERO);
    }

    /** One line on the model the workers use, loud when it is the untrained fallback. */
    public String modelNotice(URI web) {
        String model = StackProbes.health(web).model();
        return model.startsWith("untrained")
                ? "model: UNTRAINED ResNet-18 (no weights could be had offline): these labels come from random weights and mean nothing"
                : "model: " + model;
    }

    private StackProbes.Health health(LocalRecord record) {
        return StackProbes.health(URI.create(record.url()));
    }

    /** Both sides local, on the emulators the record names. */
    private TargetSpec recordedEndpoints() {
        return stack.recorded().map(record -> spec.withEndpoints(URI.create(record.sqsEndpoint()), URI.create(record.s3Endpoint())))
                .orElse(spec);
    }

    /** The web tier's address while the stack runs. */
    public Optional<URI> runningUrl() {
        return stack.running().map(record -> URI.create(record.url()));
    }

    /** Where the stack keeps its data. */
    public java.nio.file.Path stackDirectory() {
        return stack.layout().stackDir();
    }


    private static StackProbes.QueueDepth depth(StackSession session, LocalRecord record, String queueUrl) {
        return record.emulatorAlive() ? StackProbes.depth(session.aws.sqs(), queueUrl) : StackProbes.QueueDepth.UNKNOWN;
    }
}
