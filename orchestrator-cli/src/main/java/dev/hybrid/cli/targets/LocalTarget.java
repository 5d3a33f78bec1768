package dev.hybrid.cli.targets;

import java.nio.file.Path;

import dev.hybrid.cli.output.TerminalProgressBars;

import dev.hybrid.cli.local.LocalWebImageBuild;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import dev.hybrid.cli.engine.ProgressBars;
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
        if (options.memoryBudgetMb() == null) {
            LocalSettings.validateInheritedBudget(console.env());
        }
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
            ObjectNode document = document("up", code, started.record()).put("changed", started.changed() || started.repaired() != null);
            if (started.repaired() != null) {
                document.set("repaired", started.repaired());
            }
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
    private record Started(int code, LocalRecord record, boolean changed, ObjectNode repaired) {
        Started(int code, LocalRecord record, boolean changed) {
            this(code, record, changed, null);
        }
    }

    private Started startLocked(Up request, LocalSettings given) throws InterruptedException {
        LocalSettings options = given;
        Optional<LocalRecord> recorded = stack.recorded();
        if (recorded.isPresent()) {
            LocalRecord record = recorded.get();
            LocalStack.Check check = stack.check(record);
            if (!check.allGone()) {
                List<String> changed = options.changedFrom(record.web(), record.webPort());
                if (!changed.isEmpty()) {
                    throw new ConfigurationException("stack " + record.stack() + " already runs with other settings: "
                            + String.join(", ", changed) + "; to change them run '" + console.command("teardown --local --keep-data")
                            + "' and then this up again");
                }
            }
            if (!check.healthy() && !check.allGone()) {
                return repair(request, record, check);
            }
            if (check.healthy()) {
                if (!console.json()) {
                    console.out().printf("stack %s already runs locally at %s (web pid %d, emulators pid %d); nothing changed.%n"
                            + "  '%s' shows it, '%s' stops it.%n",
                            record.stack(), record.url(), record.webPid(), record.emulatorPid(), console.command("status --local"),
                            console.command("teardown --local"));
                    console.out().flush();
                }
                return new Started(ExitCodes.OK, record, false);
            }
        }
        Optional<LocalStack.EmulatorPorts> kept = stack.keptPorts();
        say("starting SQS and S3 emulators on 127.0.0.1 (data in %s)", stack.layout().s3Data());
        LocalStack.Emulators emulators = stack.startEmulators();
        kept.ifPresent(ports -> sayMoved(ports, emulators));
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
                    webOptions(options));
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

    private static LocalStack.WebOptions webOptions(LocalSettings options) {
        return new LocalStack.WebOptions(options.port(), options.workersMaxOrCores(), options.warmPoolOrNone(), options.baseWorkers(),
                options.reply(), options.model(), options.labels(), options.profile(), options.memoryBudgetMb());
    }

    /** One line when the emulators could not have their kept ports back (another process holds one) and took free ones. */
    private void sayMoved(LocalStack.EmulatorPorts kept, LocalStack.Emulators emulators) {
        if (kept.sqs() != emulators.sqs().getPort() || kept.s3() != emulators.s3().getPort()) {
            say("the emulators' former ports (SQS %d, S3 %d) are not all free: they now listen on SQS %d, S3 %d, with the kept data; "
                    + "the queues, the state and the web tier use the new ones", kept.sqs(), kept.s3(), emulators.sqs().getPort(),
                    emulators.s3().getPort());
        }
    }

    /**
     * Restarts only what is gone or not answering, with the same ports and data: the emulators under a running web tier
     * (which keeps its pid and its workers, since their endpoints and queue URLs stay the same), the web tier beside
     * running emulators, or both. The walk runs again either way: emulators started anew hold no queues yet.
     */
    private Started repair(Up request, LocalRecord broken, LocalStack.Check check) throws InterruptedException {
        long began = System.nanoTime();
        LocalStack.WebOptions web = broken.web() != null ? broken.web()
                : webOptions(request.local().withPort(broken.webPort()));
        if (web.port() == null) {
            web = new LocalStack.WebOptions(broken.webPort(), web.workersMax(), web.warmPool(), web.baseWorkers(), web.reply(), web.model(),
                    web.labels(), web.profile(), web.memoryBudgetMb());
        }
        boolean restartWeb = check.web() != LocalStack.Condition.RUNNING;
        boolean restartEmulators = check.emulators() != LocalStack.Condition.RUNNING;
        if (restartWeb) {
            stack.stopWeb(broken);
        }
        LocalStack.Emulators emulators;
        if (restartEmulators) {
            stack.stopEmulators(broken);
            emulators = stack.startEmulators();
            if (!emulators.sqs().toString().equals(broken.sqsEndpoint()) || !emulators.s3().toString().equals(broken.s3Endpoint())) {
                // Another process took a port meanwhile: the running web tier would keep calling the old one.
                sayMoved(new LocalStack.EmulatorPorts(URI.create(broken.sqsEndpoint()).getPort(), URI.create(broken.s3Endpoint()).getPort()),
                        emulators);
                if (!restartWeb) {
                    stack.stopWeb(broken);
                    restartWeb = true;
                }
            }
        } else {
            emulators = new LocalStack.Emulators(broken.emulatorPid(), URI.create(broken.sqsEndpoint()), URI.create(broken.s3Endpoint()));
        }
        WalkReport report;
        try (StackUp walk = queuesAndBuckets(spec.withEndpoints(emulators.sqs(), emulators.s3())).upWalk(request)) {
            report = walk.walk();
        }
        if (!report.succeeded()) {
            console.err().println("hybrid: the queues and buckets could not all be made again; the stack is still broken");
            return new Started(ExitCodes.FAILED, null, false);
        }
        LocalRecord record = restartWeb
                ? stack.startWeb(emulators, TierSettings.fromOutputs(report.outputs()), web, restartEmulators)
                : stack.withEmulators(broken, emulators);
        WebHealthWait.Result health = WebHealthWait.await(URI.create(record.url()), Duration.ofSeconds(60), Duration.ofSeconds(5),
                ProgressBars.NONE);
        double seconds = (System.nanoTime() - began) / 1e9;
        boolean healthy = health.outcome() == WebHealthWait.Outcome.HEALTHY;
        String what = String.format("repaired stack %s in %.1f s: emulators %s (pid %d%s), web tier %s (pid %d%s); %s",
                record.stack(), seconds, restartEmulators ? check.emulators() + ", restarted" : "running, kept", record.emulatorPid(),
                restartEmulators ? ", was " + broken.emulatorPid() : "",
                restartWeb ? check.web() + ", restarted" : "running, kept", record.webPid(), restartWeb ? ", was " + broken.webPid() : "",
                healthy ? "healthy at " + record.url() : "but NOT healthy within 60 s: see " + stack.layout().logs());
        int code = healthy ? ExitCodes.OK : ExitCodes.FAILED;
        ObjectNode repaired = JsonNodeFactory.instance.objectNode()
                .put("emulators", restartEmulators ? check.emulators().toString() : null)
                .put("web", restartWeb ? check.web().toString() : null).put("seconds", Math.round(seconds * 10) / 10.0);
        if (!console.json()) {
            console.out().println(what);
            console.out().flush();
        } else if (!healthy) {
            ObjectNode document = document("up", code, record).put("changed", true);
            document.set("repaired", repaired);
            JsonReports.print(console.out(), document);
        }
        // A healthy repair ends as every up does, with the health line and the canary (one JSON document, up() prints it);
        // it does not turn this up into a foreground one.
        return healthy ? new Started(code, record, false, repaired) : new Started(code, null, false);
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
        Optional<StackProbes.WorkerMemory> memory = StackProbes.workerMemory(URI.create(record.url()));
        Map<String, Long> repliesByWorker = StackProbes.repliesByWorker(URI.create(record.url()));
        Map<Long, Long> imagesDone = imagesDoneByPid(repliesByWorker);
        long imagesDoneInAll = repliesByWorker.values().stream().mapToLong(Long::longValue).sum();
        boolean alive = record.webAlive() && record.emulatorAlive();
        int code = alive && health.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        if (console.json()) {
            ObjectNode document = document("status", code, record);
            document.put("running", alive).put("health", health.status()).put("model", health.model()).put("engine", health.engine())
                    .put("imagesDone", imagesDoneInAll);
            putWorkerMemory(document, memory, record);
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
            console.out().printf("  memory    %s%n", describeWorkerMemory(memory, record));
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

    /**
     * Where each worker's memory budget came from: the web tier only knows whether HYBRID_WORKER_MEMORY_MB was set; the
     * record says whether this CLI set it from --memory-budget.
     */
    private static String memorySource(StackProbes.WorkerMemory memory, LocalRecord record) {
        if (memory.derived()) {
            return "derived";
        }
        return record.web() != null && record.web().memoryBudgetMb() != null ? "--memory-budget" : memory.source();
    }

    private static void putWorkerMemory(ObjectNode document, Optional<StackProbes.WorkerMemory> memory, LocalRecord record) {
        if (memory.isEmpty()) {
            document.putNull("workerMemory");
            return;
        }
        StackProbes.WorkerMemory m = memory.get();
        document.putObject("workerMemory").put("budgetMb", m.budgetMb()).put("heapMb", m.heapMb()).put("source", memorySource(m, record))
                .put("machineMb", m.machineMb()).put("workers", m.workers());
    }

    /**
     * "11028 MB per worker (-Xmx1378m), derived from this machine's 24105 MB less 2048 MB, shared by at most 2 workers", and on
     * a second line how to change it: a running stack keeps its settings, so through a teardown that keeps the data.
     */
    private String describeWorkerMemory(Optional<StackProbes.WorkerMemory> memory, LocalRecord record) {
        if (memory.isEmpty()) {
            return "unknown (the web tier did not say)";
        }
        StackProbes.WorkerMemory m = memory.get();
        String source = memorySource(m, record);
        String why = switch (source) {
            case "derived" -> String.format("derived from this machine's %d MB less %d MB (web tier, emulators), shared by at most %d "
                    + "worker%s (--workers-max + --base-workers)", m.machineMb(), StackProbes.WorkerMemory.RESERVED_MB, m.workers(),
                    m.workers() == 1 ? "" : "s");
            case "--memory-budget" -> "set by --memory-budget";
            default -> "set by " + source + " in the environment of 'up'";
        };
        return String.format("%d MB per worker (-Xmx%dm), %s%n            to change it: '%s', then '%s'", m.budgetMb(), m.heapMb(), why,
                console.command("teardown --local --keep-data"), console.command("up --local --memory-budget MB"));
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
