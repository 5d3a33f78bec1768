package dev.hybrid.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.local.LocalRecord;
import dev.hybrid.cli.local.LocalStack;
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
import java.util.function.Function;
import dev.hybrid.cli.StackProbes.Health;
import dev.hybrid.cli.StackProbes.QueueDepth;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole service on this machine: emulators and web tier as background processes, the queues
 * and buckets made by the same engine walk as on AWS, workers launched by the web tier's autoscaler.
 */
final class LocalMode {
    private final HybridMain main;
    private final TargetOptions targets;
    private final LocalStack stack;

    LocalMode(HybridMain main, TargetOptions targets) {
        this.main = main;
        this.targets = targets;
        this.stack = new LocalStack(main.stack(), main.env());
    }

    static boolean wanted(TargetOptions targets) {
        return "local".equals(targets.osCloud()) && "local".equals(targets.aws());
    }

    /** {@code walk} runs the engine's up against the targets, once they point at the emulators. */
    int up(LocalOptions options, Function<TargetOptions, WalkReport> walk) throws InterruptedException {
        options.validate();
        Optional<LocalRecord> running = stack.running();
        if (running.isPresent()) {
            LocalRecord record = running.get();
            if (main.json()) {
                JsonReports.print(main.out(), document("up", ExitCodes.OK, record).put("changed", false));
            } else {
                main.out().printf("stack %s already runs locally at %s (web pid %d, emulators pid %d); nothing changed.%n"
                        + "  'hybrid status --local' shows it, 'hybrid teardown --local' stops it.%n",
                        record.stack(), record.url(), record.webPid(), record.emulatorPid());
                main.out().flush();
            }
            return ExitCodes.OK;
        }
        say("starting SQS and S3 emulators on 127.0.0.1 (data in %s)", stack.layout().s3Data());
        LocalStack.Emulators emulators = stack.startEmulators();
        targets.sqsEndpoint = emulators.sqs();
        targets.s3Endpoint = emulators.s3();
        WalkReport report;
        try {
            report = walk.apply(targets);
        } catch (RuntimeException e) {
            stopEmulators(emulators);
            throw e;
        }
        if (!report.succeeded()) {
            stopEmulators(emulators);
            main.err().println("hybrid: the queues and buckets could not all be made; the emulators were stopped again");
            return ExitCodes.FAILED;
        }
        say("starting the web tier (workers start on demand, at most %d)", options.workersMax());
        LocalRecord record;
        try {
            record = stack.startWeb(emulators, TierSettings.fromOutputs(report.outputs()),
                    new LocalStack.WebOptions(options.port, options.workersMax(), options.warmPool(), options.baseWorkers, options.reply, options.model,
                            options.labels, options.profile));
        } catch (RuntimeException e) {
            // e.g. the port is taken: the emulators started for this up must not outlive it
            stopEmulators(emulators);
            throw e;
        }
        if (options.port == null && record.webPort() != 8080) {
            say("port 8080 is in use; the web tier took port %d instead", record.webPort());
        }
        if (main.json()) {
            JsonReports.print(main.out(), document("up", ExitCodes.OK, record).put("changed", true));
        } else {
            main.out().printf("%nweb tier: %s%n", record.url());
            main.out().printf("  hybrid classify IMAGES...   hybrid status --local   hybrid teardown --local%n");
            main.out().flush();
        }
        if (options.detach) {
            return ExitCodes.OK;
        }
        return foreground(record);
    }

    /** Streams a compact status until Ctrl-C, then stops the processes and keeps the data. */
    private int foreground(LocalRecord record) throws InterruptedException {
        Thread stopper = new Thread(() -> {
            try {
                main.err().println("\nhybrid: stopping the local stack (data kept; 'hybrid up --local' resumes it)");
                main.err().flush();
                stack.teardown(true);
            } catch (IOException | InterruptedException e) {
                main.err().println("hybrid: could not stop everything: " + e.getMessage());
            }
        }, "local-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        main.err().println("Running in the foreground; Ctrl-C stops it (use -d to run in the background).");
        String last = "";
        while (record.webAlive()) {
            String line = compactStatus(record);
            if (!line.equals(last)) {
                main.err().println(line);
                main.err().flush();
                last = line;
            }
            Thread.sleep(2000);
        }
        main.err().println("hybrid: the web tier exited; see " + stack.layout().logs().resolve("web.log"));
        return ExitCodes.FAILED;
    }

    private String compactStatus(LocalRecord record) {
        return String.format("%s  health %s  workers %d", Instant.now().toString().substring(11, 19), health(record).status(),
                workers(record).size());
    }

    int status() {
        Optional<LocalRecord> found = stack.recorded();
        if (found.isEmpty()) {
            if (main.json()) {
                ObjectNode document = JsonReports.object().put("command", "status").put("ok", true).put("exitCode", ExitCodes.OK)
                        .put("stack", main.stack()).put("running", false);
                JsonReports.print(main.out(), document);
            } else {
                main.out().printf("no local stack %s runs; start it with 'hybrid up --local'%n", main.stack());
                main.out().flush();
            }
            return ExitCodes.OK;
        }
        LocalRecord record = found.get();
        Health health = health(record);
        QueueDepth requests;
        QueueDepth deadLetters;
        try (StackSession session = StackSession.open(main, localTargets(), dev.hybrid.cli.engine.ProgressListener.NONE)) {
            Map<String, String> settings = session.cache.read().map(state -> TierSettings.fromOutputs(state.outputs())).orElse(Map.of());
            requests = depth(session, record, settings.get("HYBRID_REQUEST_QUEUE_URL"));
            deadLetters = depth(session, record, settings.get("HYBRID_DEAD_LETTER_QUEUE_URL"));
        }
        List<ProcessHandle> workers = workers(record);
        Map<String, Long> repliesByWorker = StackProbes.repliesByWorker(URI.create(record.url()));
        Map<Long, Long> imagesDone = imagesDoneByPid(repliesByWorker);
        long imagesDoneInAll = repliesByWorker.values().stream().mapToLong(Long::longValue).sum();
        boolean alive = record.webAlive() && record.emulatorAlive();
        int code = alive && health.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        if (main.json()) {
            ObjectNode document = document("status", code, record);
            document.put("running", alive).put("health", health.status()).put("model", health.model()).put("engine", health.engine())
                    .put("imagesDone", imagesDoneInAll);
            document.putObject("requestQueue").put("visible", requests.visible()).put("inFlight", requests.inFlight())
                    .put("deadLetters", deadLetters.visible());
            ArrayNode list = document.putArray("workers");
            for (ProcessHandle worker : workers) {
                list.addObject().put("pid", worker.pid()).put("uptimeSeconds", uptime(worker).toSeconds())
                        .put("imagesDone", imagesDone.getOrDefault(worker.pid(), 0L));
            }
            JsonReports.print(main.out(), document);
        } else {
            main.out().printf("stack %s (local)%n  url       %s  %s%n", record.stack(), record.url(), health.status());
            main.out().printf("  model     %s%s%n", health.model(), "untrained".equals(health.model()) || health.model().startsWith("untrained")
                    ? "   <-- UNTRAINED: random weights, labels are meaningless" : "");
            main.out().printf("  engine    %s%s%n", health.engine(), health.engineNotice());
            main.out().printf("  requests  %d visible, %d in flight, %d dead letters%n", requests.visible(), requests.inFlight(),
                    deadLetters.visible());
            main.out().printf("  processes web pid %d %s, emulators pid %d %s%n", record.webPid(), record.webAlive() ? "running" : "GONE",
                    record.emulatorPid(), record.emulatorAlive() ? "running" : "GONE");
            main.out().printf("  workers   %d running, %d images done by all workers so far%n", workers.size(), imagesDoneInAll);
            for (ProcessHandle worker : workers) {
                main.out().printf("            pid %d, up %d s, %d images done%n", worker.pid(), uptime(worker).toSeconds(),
                        imagesDone.getOrDefault(worker.pid(), 0L));
            }
            main.out().flush();
        }
        return code;
    }

    int teardown(boolean keepData, Function<TargetOptions, WalkReport> walk) throws InterruptedException, IOException {
        Optional<LocalRecord> record = stack.recorded();
        WalkReport report = null;
        if (record.isPresent() && record.get().emulatorAlive() && !keepData) {
            targets.sqsEndpoint = URI.create(record.get().sqsEndpoint());
            targets.s3Endpoint = URI.create(record.get().s3Endpoint());
            report = walk.apply(targets);
        }
        LocalStack.Stopped stopped = stack.teardown(keepData);
        boolean clean = stopped.stillRunning().isEmpty() && (report == null || report.succeeded());
        int code = clean ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        if (main.json()) {
            ObjectNode document = JsonReports.object().put("command", "teardown").put("ok", clean).put("exitCode", code)
                    .put("stack", main.stack()).put("local", true).put("dataKept", keepData);
            ArrayNode list = document.putArray("stopped");
            stopped.stopped().forEach(list::add);
            ArrayNode left = document.putArray("stillRunning");
            stopped.stillRunning().forEach(left::add);
            JsonReports.print(main.out(), document);
        } else {
            if (record.isEmpty()) {
                main.out().printf("no local stack %s was recorded; nothing to stop%n", main.stack());
            } else {
                main.out().printf("stopped %d processes %s%s%n", stopped.stopped().size(), stopped.stopped(),
                        keepData ? "; data kept in " + stack.layout().stackDir() : "; local data removed");
            }
            if (!stopped.stillRunning().isEmpty()) {
                main.err().printf("hybrid: these pids did not stop: %s%n", stopped.stillRunning());
            }
            main.out().flush();
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
        if (!main.json()) {
            main.out().printf(format + "%n", args);
            main.out().flush();
        } else {
            main.err().printf(format + "%n", args);
            main.err().flush();
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
    String modelNotice(LocalRecord record) {
        String model = health(record).model();
        return model.startsWith("untrained")
                ? "model: UNTRAINED ResNet-18 (no weights could be had offline): these labels come from random weights and mean nothing"
                : "model: " + model;
    }

    private Health health(LocalRecord record) {
        return StackProbes.health(URI.create(record.url()));
    }

    private TargetOptions localTargets() {
        TargetOptions local = new TargetOptions();
        local.local = true;
        stack.recorded().ifPresent(record -> {
            local.sqsEndpoint = URI.create(record.sqsEndpoint());
            local.s3Endpoint = URI.create(record.s3Endpoint());
        });
        return local;
    }


    private static QueueDepth depth(StackSession session, LocalRecord record, String queueUrl) {
        return record.emulatorAlive() ? StackProbes.depth(session.aws.sqs(), queueUrl) : QueueDepth.UNKNOWN;
    }
}
