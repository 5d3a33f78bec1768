package dev.hybrid.cli.targets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.contract.EnvNames;
import dev.hybrid.cli.aws.WebTierCredentials;
import dev.hybrid.cli.aws.WebTierKeys;
import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackState;
import dev.hybrid.cli.engine.StateCache;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.local.LocalStackException;
import dev.hybrid.cli.local.LocalWebTier;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.cli.output.ProgressPrinter;
import dev.hybrid.cli.output.TerminalProgressBars;
import dev.hybrid.cli.output.TextReports;
import dev.hybrid.cli.service.StackProbes;
import dev.hybrid.cli.service.WebHealthWait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack on the clouds: the engine's plan, up, status and teardown over the AWS side and, when a cloud is named,
 * the OpenStack side. The local targets walk their AWS side (the emulators, or AWS itself) through one of these too.
 */
public final class CloudTarget implements Target {
    private static final Logger log = LoggerFactory.getLogger(CloudTarget.class);
    /** How long one look at /healthz may take; a booting server's silence is waited through, look after look. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final Console console;
    private final TargetSpec spec;
    private final String openStackCloud;
    private final Path stateDirectory;
    /** The walk under a local stack: it prints its table, never a document nor the tiers' settings. */
    private final boolean underLocalStack;
    /** A web tier that runs here beside the AWS side, or null. */
    private final LocalWebTarget webHere;

    private CloudTarget(Console console, TargetSpec spec, String openStackCloud, Path stateDirectory, boolean underLocalStack,
                        LocalWebTarget webHere) {
        this.console = console;
        this.spec = spec;
        this.openStackCloud = openStackCloud;
        this.stateDirectory = stateDirectory;
        this.underLocalStack = underLocalStack;
        this.webHere = webHere;
    }

    /** AWS, and OpenStack when {@code spec} names a cloud. */
    static CloudTarget clouds(Console console, TargetSpec spec) {
        return new CloudTarget(console, spec, spec.osCloud(), StateCache.defaultDirectory(console.env()), false, null);
    }

    /** The queues and buckets of a local stack, on its emulators; its cache beside its data. */
    static CloudTarget underLocalStack(Console console, TargetSpec spec, Path stateDirectory) {
        return new CloudTarget(console, spec, null, stateDirectory, true, null);
    }

    /** The AWS side of a web tier that runs here. */
    static CloudTarget besideLocalWeb(Console console, TargetSpec spec, LocalWebTarget web) {
        return new CloudTarget(console, spec, null, StateCache.defaultDirectory(console.env()), false, web);
    }

    StackSession open(ProgressListener listener, StackSession.Options options) {
        return StackSession.open(console, spec, openStackCloud, stateDirectory, listener, options);
    }

    private ProgressListener progress() {
        return console.json() ? ProgressListener.NONE : new ProgressPrinter(console.out(), console.verbose());
    }

    @Override
    public int up(Up request) {
        try (Walk walk = upWalk(request)) {
            walk.walk();
            return walk.exitCode;
        }
    }

    /** One up's walk; a local target starts its processes after it. */
    Walk upWalk(Up request) {
        return new Walk(request);
    }

    final class Walk implements StackUp {
        private final Up request;
        private final ProgressBars bars = TerminalProgressBars.forConsole(console);
        /** A web-tier key the walk creates; in memory only, handed to the local web tier and then forgotten. */
        private final WebTierKeys webTierKeys = new WebTierKeys();
        /** The walk's, then the health wait's and canary's exit code. */
        private int exitCode = ExitCodes.FAILED;

        private Walk(Up request) {
            this.request = request;
        }

        @Override
        public Optional<WebTierCredentials> createdKey() {
            return webTierKeys.created();
        }

        @Override
        public void close() {
            webTierKeys.forget();
        }

        @Override
        public WebHealthWait.Result waitHealthy(URI web) {
            return awaitHealthy(web, Optional::empty);
        }

        @Override
        public Up request() {
            return request;
        }

        /** The one waiter, until --health-timeout; {@code serverFailure} ends it early (a server gone to ERROR). */
        private WebHealthWait.Result awaitHealthy(URI web, java.util.function.Supplier<Optional<String>> serverFailure) {
            if (!request.waitHealthy()) {
                return new WebHealthWait.Result(WebHealthWait.Outcome.SKIPPED, "not waited for (--no-wait-healthy); '" + console.command("status") + "' checks it");
            }
            return WebHealthWait.await(web, request.healthTimeout(), PROBE_TIMEOUT, Waiter.system(bars), serverFailure);
        }

        /** The engine's up over both sides; prints progress and the result. */
        @Override
        public WalkReport walk() {
            try (StackSession session = open(progress(), new StackSession.Options(bars, request.rotateKeys(), false, webTierKeys))) {
                session.requireWebImageFile();
                session.requireNetworks();
                String deployment = session.existingDeployment().orElseGet(DeploymentIds::newId);
                // Remembered before anything is created; the tags remember it too, should this file be lost.
                Map<String, Map<String, String>> cached = session.cache.read().filter(s -> deployment.equals(s.deploymentId()))
                        .map(StackState::outputs).orElse(Map.of());
                session.cache.write(session.stack, deployment, cached);
                if (!console.json()) {
                    console.out().printf("up %s (deployment %s) on %s%n", session.stack, deployment, session.describeTargets());
                    console.out().flush();
                }
                Thread interrupted = new Thread(() -> console.err().printf("%nhybrid: up interrupted; everything made so far is tagged "
                        + "with deployment %s: run '%s' to finish it or '%s' to remove it%n", deployment, console.command("up"), console.command("teardown")));
                Runtime.getRuntime().addShutdownHook(interrupted);
                WalkReport report;
                try {
                    report = session.walker.up(session.graph, session.context(deployment));
                } finally {
                    Runtime.getRuntime().removeShutdownHook(interrupted);
                }
                session.cache.write(session.stack, deployment, report.outputs());
                Optional<URI> web = report.succeeded() ? session.webUrl(report.outputs()) : Optional.empty();
                Optional<String> server = report.succeeded() ? session.serverId(report.outputs()) : Optional.empty();
                if (!console.json()) {
                    // Printed before the wait, which on real compute lasts minutes: the user can look meanwhile.
                    TextReports.summary(console.out(), "up", report);
                    if (!underLocalStack) {
                        TextReports.settings(console.out(), TierSettings.fromOutputs(report.outputs()));
                    }
                    web.ifPresent(url -> console.out().printf("web tier: %s%n", url));
                    console.out().flush();
                }
                Optional<ServiceCheck.Outcome> check = web.map(url -> ServiceCheck.run(request, url,
                        u -> awaitHealthy(u, () -> server.flatMap(session::serverFailure)),
                        () -> server.map(id -> session.consoleTail(id, ServiceCheck.CONSOLE_LINES)).orElse(List.of()),
                        session.cache.file().getParent()));
                int code = !report.succeeded() ? ExitCodes.FAILED : check.map(ServiceCheck.Outcome::exitCode).orElse(ExitCodes.OK);
                exitCode = code;
                // A local stack and a web tier here print one document of their own, with the walk in it.
                if (console.json() && !underLocalStack && webHere == null) {
                    ObjectNode document = session.report("up", report, code);
                    web.ifPresent(url -> document.put("webUrl", url.toString()));
                    check.ifPresent(outcome -> outcome.putInto(document));
                    JsonReports.print(console.out(), document);
                } else if (!console.json()) {
                    check.ifPresent(outcome -> outcome.print(console));
                }
                return report;
            }
        }
    }

    @Override
    public int plan() {
        try (StackSession session = open(ProgressListener.NONE, StackSession.Options.NONE)) {
            session.requireWebImageFile();
            Optional<String> existing = session.existingDeployment();
            // A new deployment's id is only a sample here: up draws its own.
            String deployment = existing.orElseGet(DeploymentIds::newId);
            WalkReport report = session.walker.plan(session.graph, session.context(deployment));
            int code = report.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
            if (console.json()) {
                ObjectNode document = session.report("plan", report, code).put("newDeployment", existing.isEmpty());
                if (webHere != null) {
                    webHere.planInto(document);
                }
                JsonReports.print(console.out(), document);
            } else {
                console.out().printf("plan %s (%s) on %s%n", session.stack,
                        existing.map(id -> "deployment " + id).orElse("new deployment"), session.describeTargets());
                TextReports.planTable(console.out(), report);
                if (webHere != null) {
                    console.out().println(webHere.planLine());
                }
                console.out().flush();
            }
            return code;
        }
    }

    @Override
    public int status(Status request) {
        try (StackSession session = open(ProgressListener.NONE, StackSession.Options.NONE)) {
            Optional<StackState> cached = session.cache.read();
            Optional<String> deployment = session.existingDeployment();
            if (deployment.isEmpty()) {
                return nothingDeployed(session);
            }
            WalkReport report = session.walker.plan(session.graph, session.context(deployment.get()));
            int code = report.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
            Map<String, String> settings = TierSettings.fromOutputs(report.outputs());
            StackProbes.QueueDepth requests = StackProbes.depth(session.aws.sqs(), settings.get(EnvNames.REQUEST_QUEUE_URL));
            StackProbes.QueueDepth deadLetters = StackProbes.depth(session.aws.sqs(), settings.get(EnvNames.DEAD_LETTER_QUEUE_URL));
            Optional<URI> web = session.webUrl(report.outputs());
            Optional<StackProbes.Health> health = web.map(url -> request.checkHealth() ? StackProbes.health(url) : StackProbes.Health.NOT_CHECKED);
            if (console.json()) {
                ObjectNode document = session.report("status", report, code);
                document.put("deployed", true);
                web.ifPresent(url -> document.put("webUrl", url.toString()));
                health.ifPresent(h -> document.put("health", h.status()).put("model", h.model()).put("engine", h.engine()));
                StackProbes.putQueues(document, requests, deadLetters);
                document.put("stateCache", session.cache.file().toString());
                document.put("stateCacheUpdatedAt", cached.map(StackState::updatedAt).orElse(null));
                ServiceCheck.statusInto(document, session.cache.file().getParent());
                if (webHere != null) {
                    webHere.statusInto(document);
                }
                JsonReports.print(console.out(), document);
            } else {
                console.out().printf("status %s (deployment %s) on %s%n", session.stack, deployment.get(), session.describeTargets());
                TextReports.statusTable(console.out(), report);
                TextReports.settings(console.out(), settings);
                web.ifPresent(url -> console.out().printf("web tier  %s  %s%n", url, health.map(StackProbes.Health::status).orElse("")));
                if (webHere != null) {
                    console.out().println(webHere.statusLine());
                }
                console.out().printf("requests  %s%n", StackProbes.describeQueues(requests, deadLetters));
                ServiceCheck.statusLines(session.cache.file().getParent(), console.command("up")).forEach(console.out()::println);
                console.out().printf("state cache %s%s%n", session.cache.file(),
                        cached.map(state -> ", updated " + state.updatedAt()).orElse(" (absent; found by tags)"));
                console.out().flush();
            }
            return code;
        }
    }

    private int nothingDeployed(StackSession session) {
        if (console.json()) {
            ObjectNode document = JsonReports.object();
            document.put("command", "status").put("ok", true).put("exitCode", ExitCodes.OK).put("stack", session.stack)
                    .put("aws", session.target.describe()).put("deployed", false);
            if (webHere != null) {
                webHere.statusInto(document);
            }
            JsonReports.print(console.out(), document);
        } else {
            console.out().printf("stack %s is not deployed on %s (no state cache, no tagged resources)%n",
                    session.stack, session.describeTargets());
            if (webHere != null) {
                console.out().println(webHere.statusLine());
            }
            console.out().flush();
        }
        return ExitCodes.OK;
    }

    @Override
    public int teardown(Teardown request) {
        TeardownWalk walk = teardownWalk(request);
        if (walk.report == null) {
            return ExitCodes.FAILED;
        }
        if (walk.webStopped != null && !walk.webStopped.stillRunning().isEmpty()) {
            return ExitCodes.INCOMPLETE;
        }
        return walk.report.succeeded() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    /**
     * @param report     null when the user said no
     * @param webStopped the web tier here that was stopped before the walk, or null
     */
    record TeardownWalk(WalkReport report, LocalWebTier.Stopped webStopped) {
    }

    /**
     * The engine's teardown. A web tier that runs here is stopped first, once the user said yes, so that its
     * autoscaler cannot launch a worker while the stack goes.
     */
    TeardownWalk teardownWalk(Teardown request) {
        ProgressListener progress = progress();
        try (StackSession session = open(progress, new StackSession.Options(ProgressBars.NONE, false, request.keepImages()))) {
            if (!request.yes() && console.terminal().interactive() && !confirmed(session)) {
                console.err().println("hybrid: teardown cancelled; nothing was deleted");
                return new TeardownWalk(null, null);
            }
            LocalWebTier.Stopped webStopped = null;
            if (webHere != null) {
                try {
                    webStopped = webHere.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LocalStackException("interrupted while the local web tier stopped; nothing on AWS was deleted");
                }
            }
            String deployment = deploymentIfKnown(session);
            WalkReport report = session.walker.teardown(session.graph, session.context(deployment));
            boolean webGone = webStopped == null || webStopped.stillRunning().isEmpty();
            int code = report.succeeded() && webGone ? ExitCodes.OK : ExitCodes.INCOMPLETE;
            if (report.succeeded()) {
                session.cache.delete();
                dev.hybrid.cli.service.Canary.forget(session.cache.file().getParent());
            }
            if (console.json() && !underLocalStack) {
                ObjectNode document = session.report("teardown", report, code);
                if (webStopped != null) {
                    LocalWebTarget.describe(document, webStopped);
                }
                JsonReports.print(console.out(), document);
            } else if (!console.json()) {
                TextReports.summary(console.out(), "teardown", report);
                console.out().flush();
            }
            return new TeardownWalk(report, webStopped);
        }
    }

    /** Only for the report: teardown finds by stack, so a cloud that cannot even be asked must not stop it. */
    private static String deploymentIfKnown(StackSession session) {
        try {
            return session.existingDeployment().orElse(null);
        } catch (RuntimeException e) {
            log.debug("cannot tell the deployment id; tearing down by stack tag alone", e);
            return null;
        }
    }

    private boolean confirmed(StackSession session) {
        console.err().printf("Delete every resource of stack %s on %s, with all the objects in its buckets? [y/N] ",
                session.stack, session.describeTargets());
        console.err().flush();
        String answer = console.terminal().readLine();
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
    }

    @Override
    public int imageBuild(String tier) {
        return new ImageBuild(console, this).run(spec, tier);
    }
}
