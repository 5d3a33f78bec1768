package dev.hybrid.cli.targets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.aws.AppLaunchTemplate;
import dev.hybrid.cli.aws.AwsTarget;
import dev.hybrid.cli.aws.WebTierCredentials;
import dev.hybrid.cli.aws.WebTierUser;
import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.config.StackConfig;
import dev.hybrid.cli.engine.Ref;
import dev.hybrid.cli.engine.StateCache;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.local.LocalWebRecord;
import dev.hybrid.cli.local.LocalWebTier;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.cli.service.StackProbes;
import dev.hybrid.contract.EnvNames;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code --os-cloud local --aws PROFILE}: queues, buckets, IAM and the workers' launch template on AWS, made by the
 * same engine walk as ever, and the web tier as a background process here instead of an OpenStack server. The web
 * tier is started after the walk with the walk's outputs and the stack's web-tier key; its autoscaler launches the
 * workers on EC2 from the stack's launch template.
 */
public final class LocalWebTarget implements Target {
    private final Console console;
    private final TargetSpec spec;
    private final LocalWebTier web;
    /** The AWS side, walked as on the clouds, with this web tier beside it in plan, status and teardown. */
    private final CloudTarget cloud;

    public LocalWebTarget(Console console, TargetSpec spec) {
        this.console = console;
        this.spec = spec;
        this.web = new LocalWebTier(console.stack(), console.env());
        this.cloud = CloudTarget.besideLocalWeb(console, spec, this);
    }

    @Override
    public int plan() {
        return cloud.plan();
    }

    @Override
    public int status(Status request) {
        return cloud.status(request);
    }

    @Override
    public int teardown(Teardown request) {
        return cloud.teardown(request);
    }

    @Override
    public int imageBuild(String tier) {
        return new ImageBuild(console, cloud).run(spec, tier);
    }

    @Override
    public int up(Up request) throws InterruptedException {
        try (StackUp walk = cloud.upWalk(request)) {
            return up(request.local(), walk);
        }
    }

    /** The AWS side's {@code walk}, then the web tier started here with its outputs and the stack's web-tier key. */
    public int up(LocalSettings options, StackUp walk) throws InterruptedException {
        StackConfig config = StackSession.stackConfig(console.env(), spec);
        int workersMax = options.workersMax() != null ? options.workersMax() : config.aws().scaling().max();
        int warmPool = options.warmPool() != null ? options.warmPool() : Math.min(config.aws().scaling().warmPool(), workersMax);
        options.validateForAwsWorkers(workersMax, warmPool);
        WalkReport report = walk.walk();
        AwsTarget target = AwsTarget.resolve(spec.aws(), spec.sqsEndpoint(), spec.s3Endpoint(), console.env());
        if (!report.succeeded()) {
            return finish(report, target, ExitCodes.FAILED, null, false,
                    "the AWS side is not complete, so the local web tier was not started; run '" + console.command("up") + "' again");
        }
        Map<String, Map<String, String>> outputs = report.outputs();
        String keyId = output(outputs, WebTierUser.ADDRESS.get(WebTierUser.ACCESS_KEY_ID));
        if (keyId == null) {
            throw new ConfigurationException("the stack has no web-tier access key (" + WebTierUser.KEY + "): run '"
                    + console.command("up --os-cloud local --rotate-keys") + "' to issue one");
        }
        String template = output(outputs, AppLaunchTemplate.ADDRESS.get(AppLaunchTemplate.ID));
        LocalWebTier.Launch launch = new LocalWebTier.Launch(TierSettings.fromOutputs(outputs), target.region().id(), target.sqsEndpoint(),
                target.s3Endpoint(), target.pathStyle(), console.stack(), template, passedEndpoints(), options.port(), workersMax, warmPool,
                options.reply());
        Optional<WebTierCredentials> created = walk.createdKey();
        String fingerprint = launch.fingerprint(keyId);
        Optional<LocalWebRecord> running = web.running();
        if (running.isPresent() && running.get().fingerprint().equals(fingerprint) && created.isEmpty()) {
            return finish(report, target, running.get(), false, check(walk, running.get()));
        }
        // The secret is read before anything is stopped: without it a running web tier is better left as it is.
        WebTierCredentials credentials = created.or(() -> web.storedCredentials(keyId)).orElseThrow(() -> new ConfigurationException(
                "the web tier's secret key is not known here (IAM shows it only when it makes the key, and "
                        + web.layout().webCredentials() + " has another or none): run '" + console.command("up --os-cloud local --rotate-keys") + "' to issue a new one"));
        if (running.isPresent()) {
            say("restarting the local web tier (pid %d): %s", running.get().pid(),
                    created.isPresent() ? "the stack has a new web-tier key" : "the stack's settings changed");
            LocalWebTier.Stopped stopped = web.stop();
            if (!stopped.stillRunning().isEmpty()) {
                throw new ConfigurationException("the local web tier did not stop (pids " + stopped.stillRunning() + "); stop it and run up again");
            }
        } else if (web.recorded().isPresent()) {
            say("the recorded local web tier (pid %d) is gone; starting it again", web.recorded().get().pid());
            web.stop();
        }
        if (template == null) {
            say("no launch template in this stack (set " + EnvNames.APP_AMI + ", or build the app-tier jar so up bakes an image): "
                    + "the web tier runs without elastic workers and requests wait in the queue");
        } else {
            say("starting the web tier here; its autoscaler launches at most %d workers on EC2 from %s", workersMax, template);
        }
        LocalWebRecord record = web.start(launch, credentials);
        return finish(report, target, record, true, check(walk, record));
    }

    /** The health wait and the canary through the local web tier's URL, recorded beside the stack's state cache. */
    private ServiceCheck.Outcome check(StackUp walk, LocalWebRecord record) {
        return ServiceCheck.run(walk.request(), URI.create(record.url()), walk::waitHealthy, List::of, recordDirectory());
    }

    /** Where the stack's state cache (and so its last canary) lives. */
    private Path recordDirectory() {
        return new StateCache(StateCache.defaultDirectory(console.env()), console.stack()).file().getParent();
    }

    private int finish(WalkReport report, AwsTarget target, LocalWebRecord record, boolean changed, ServiceCheck.Outcome check) {
        int code = check.exitCode();
        if (console.json()) {
            ObjectNode document = JsonReports.of("up", report, target.describe(), TierSettings.fromOutputs(report.outputs()), code);
            ObjectNode local = document.putObject("localWeb");
            local.put("changed", changed);
            describe(local, record);
            check.putInto(document);
            JsonReports.print(console.out(), document);
        } else {
            if (!changed) {
                console.out().printf("the local web tier already runs at %s (pid %d); nothing changed%n", record.url(), record.pid());
            } else {
                console.out().printf("web tier: %s (pid %d, log %s)%n", record.url(), record.pid(), web.layout().logs().resolve("web.log"));
            }
            check.print(console);
        }
        return code;
    }

    private int finish(WalkReport report, AwsTarget target, int code, LocalWebRecord record, boolean changed, String message) {
        if (console.json()) {
            ObjectNode document = JsonReports.of("up", report, target.describe(), TierSettings.fromOutputs(report.outputs()), code);
            ObjectNode local = document.putObject("localWeb");
            local.put("changed", changed);
            if (record != null) {
                describe(local, record);
            }
            if (message != null) {
                local.put("message", message);
            }
            JsonReports.print(console.out(), document);
        } else {
            if (record != null && !changed) {
                console.out().printf("the local web tier already runs at %s (pid %d); nothing changed%n", record.url(), record.pid());
            } else if (record != null) {
                console.out().printf("web tier: %s (pid %d, log %s)%n", record.url(), record.pid(), web.layout().logs().resolve("web.log"));
            }
            if (message != null) {
                (code == ExitCodes.OK ? console.out() : console.err()).println((code == ExitCodes.OK ? "health: " : "hybrid: ") + message);
            }
            console.out().flush();
            console.err().flush();
        }
        return code;
    }

    private static void describe(ObjectNode node, LocalWebRecord record) {
        node.put("url", record.url()).put("pid", record.pid()).put("port", record.port())
                .put("launchTemplateId", record.launchTemplateId()).put("accessKeyId", record.accessKeyId());
    }

    /** Endpoints the orchestrator itself was pointed at (e.g. EC2's), for the web tier to use the same. */
    private Map<String, String> passedEndpoints() {
        Map<String, String> endpoints = new TreeMap<>();
        console.env().forEach((name, value) -> {
            if (name.startsWith("AWS_ENDPOINT_URL") && !name.equals("AWS_ENDPOINT_URL_SQS") && !name.equals("AWS_ENDPOINT_URL_S3")
                    && value != null && !value.isBlank()) {
                endpoints.put(name, value);
            }
        });
        return endpoints;
    }

    private static String output(Map<String, Map<String, String>> outputs, Ref<String> ref) {
        return ref.in(outputs).filter(value -> !value.isBlank()).orElse(null);
    }

    /** For plan: what up would do with the web tier. */
    String planLine() {
        Optional<LocalWebRecord> running = web.running();
        return running.map(record -> "local web tier: runs at " + record.url() + " (pid " + record.pid()
                        + "); up keeps it, or restarts it if the stack's settings or web-tier key changed")
                .orElse("local web tier: up would start " + web.layout().webJar().getFileName() + " here on 127.0.0.1 with the stack's "
                        + "queues, buckets and web-tier key");
    }

    void planInto(ObjectNode document) {
        Optional<LocalWebRecord> running = web.running();
        ObjectNode local = document.putObject("localWeb");
        local.put("action", running.isPresent() ? "keep" : "start");
        running.ifPresent(record -> describe(local, record));
    }

    /** For status: the recorded process, whether it runs and what its /healthz says. */
    void statusInto(ObjectNode document) {
        ObjectNode local = document.putObject("localWeb");
        Optional<LocalWebRecord> recorded = web.recorded();
        local.put("recorded", recorded.isPresent());
        recorded.ifPresent(record -> {
            describe(local, record);
            boolean alive = web.running().isPresent();
            local.put("running", alive);
            local.put("health", alive ? StackProbes.health(URI.create(record.url())).status() : "gone");
        });
    }

    String statusLine() {
        return web.recorded().map(record -> {
            boolean alive = web.running().isPresent();
            return String.format("local web %s  pid %d %s  %s", record.url(), record.pid(), alive ? "running" : "GONE",
                    alive ? StackProbes.health(URI.create(record.url())).status() : "('" + console.command("up --os-cloud local") + "' starts it again)");
        }).orElse("local web tier not started ('" + console.command("up --os-cloud local") + "' starts it)");
    }

    /** Stops exactly the recorded pid (and anything it started) before the AWS side goes. */
    LocalWebTier.Stopped stop() throws InterruptedException {
        Optional<LocalWebRecord> recorded = web.recorded();
        LocalWebTier.Stopped stopped = web.teardown();
        if (!console.json()) {
            if (recorded.isEmpty()) {
                console.out().println("no local web tier was recorded; nothing to stop here");
            } else {
                console.out().printf("stopped the local web tier %s%n", stopped.stopped().isEmpty() ? "(it had already exited)" : stopped.stopped());
            }
            if (!stopped.stillRunning().isEmpty()) {
                console.err().printf("hybrid: these pids did not stop: %s%n", stopped.stillRunning());
            }
            console.out().flush();
        }
        return stopped;
    }

    static void describe(ObjectNode document, LocalWebTier.Stopped stopped) {
        ObjectNode local = document.putObject("localWeb");
        ArrayNode list = local.putArray("stopped");
        stopped.stopped().forEach(list::add);
        ArrayNode left = local.putArray("stillRunning");
        stopped.stillRunning().forEach(left::add);
    }

    private void say(String format, Object... args) {
        if (!console.json()) {
            console.out().printf(Locale.ROOT, format + "%n", args);
            console.out().flush();
        }
    }
}
