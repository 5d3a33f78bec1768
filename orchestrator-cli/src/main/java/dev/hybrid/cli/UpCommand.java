package dev.hybrid.cli;

import dev.hybrid.cli.aws.WebTierCredentials;
import dev.hybrid.cli.aws.WebTierKeys;
import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackState;
import dev.hybrid.cli.engine.WalkReport;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.engine.ProgressBars;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Creates what is missing and repairs what drifted; on an unchanged stack it changes nothing.")
final class UpCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Mixin
    TargetOptions targets;

    @Mixin
    LocalOptions local;

    @Option(names = "--no-wait-healthy", description = "Do not wait for the web server's /healthz after it is up.")
    boolean noWaitHealthy;

    @Option(names = "--health-timeout", defaultValue = "300", paramLabel = "SECONDS",
            description = "How long to wait for the web server's /healthz (default: ${DEFAULT-VALUE}).")
    int healthTimeoutSeconds;

    /** Set by {@link #walk}: the stack is up but its web tier never answered healthy. */
    private boolean unhealthy;

    @Option(names = "--rotate-keys", description = "On AWS: replace the web tier's access key with a new one and delete the old one.")
    boolean rotateKeys;

    /** A web-tier key the walk creates; in memory only, handed to the local web tier and then forgotten. */
    private final WebTierKeys webTierKeys = new WebTierKeys();

    @Override
    public Integer call() throws InterruptedException {
        if (LocalMode.wanted(targets)) {
            return new LocalMode(main, targets).up(local, this::walk);
        }
        if (LocalWebMode.wanted(targets)) {
            try {
                return new LocalWebMode(main, targets).up(local, new LocalWebMode.UpSteps() {
                    @Override
                    public WalkReport walk(TargetOptions targets) {
                        return UpCommand.this.walk(targets);
                    }

                    @Override
                    public Optional<WebTierCredentials> createdKey() {
                        return webTierKeys.created();
                    }

                    @Override
                    public WebHealthWait.Result waitHealthy(URI web) {
                        return UpCommand.this.waitHealthy(web, TerminalProgressBars.forCommand(main));
                    }
                });
            } finally {
                webTierKeys.forget();
            }
        }
        WalkReport report = walk(targets);
        return report.succeeded() && !unhealthy ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private WebHealthWait.Result waitHealthy(URI web, ProgressBars bars) {
        if (noWaitHealthy) {
            return new WebHealthWait.Result(WebHealthWait.Outcome.SKIPPED, "not waited for (--no-wait-healthy); 'hybrid status' checks it");
        }
        try {
            return WebHealthWait.await(web, Duration.ofSeconds(healthTimeoutSeconds), Duration.ofSeconds(5), bars);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WebHealthWait.Result(WebHealthWait.Outcome.SKIPPED, "interrupted before the web tier was healthy");
        }
    }

    /** The engine's up over both sides; prints progress and the result. */
    WalkReport walk(TargetOptions targets) {
        ProgressListener progress = main.json() ? ProgressListener.NONE : new ProgressPrinter(main.out(), main.verbose());
        ProgressBars bars = TerminalProgressBars.forCommand(main);
        try (StackSession session = StackSession.open(main, targets, progress, new StackSession.Options(bars, rotateKeys, false, webTierKeys))) {
            session.requireWebImageFile();
            String deployment = session.existingDeployment().orElseGet(DeploymentIds::newId);
            // Remembered before anything is created; the tags remember it too, should this file be lost.
            Map<String, Map<String, String>> cached = session.cache.read().filter(s -> deployment.equals(s.deploymentId()))
                    .map(StackState::outputs).orElse(Map.of());
            session.cache.write(session.stack, deployment, cached);
            if (!main.json()) {
                main.out().printf("up %s (deployment %s) on %s%n", session.stack, deployment, session.describeTargets());
                main.out().flush();
            }
            Thread interrupted = new Thread(() -> main.err().printf("%nhybrid: up interrupted; everything made so far is tagged "
                    + "with deployment %s: run 'hybrid up' to finish it or 'hybrid teardown' to remove it%n", deployment));
            Runtime.getRuntime().addShutdownHook(interrupted);
            WalkReport report;
            try {
                report = session.walker.up(session.graph, session.context(deployment));
            } finally {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            }
            session.cache.write(session.stack, deployment, report.outputs());
            Optional<URI> web = report.succeeded() ? session.webUrl(report.outputs()) : Optional.empty();
            Optional<WebHealthWait.Result> health = web.map(url -> waitHealthy(url, bars));
            unhealthy = health.map(result -> result.outcome() == WebHealthWait.Outcome.TIMED_OUT).orElse(false);
            int code = report.succeeded() && !unhealthy ? ExitCodes.OK : ExitCodes.FAILED;
            // Local mode and a local web tier print one document of their own, with the walk in it.
            if (main.json() && !LocalMode.wanted(targets) && !LocalWebMode.wanted(targets)) {
                ObjectNode document = JsonReports.of("up", report, session, code);
                web.ifPresent(url -> document.put("webUrl", url.toString()));
                health.ifPresent(result -> document.putObject("health").put("outcome", result.outcome().name().toLowerCase(Locale.ROOT))
                        .put("message", result.message()));
                JsonReports.print(main.out(), document);
            } else if (!main.json()) {
                TextReports.summary(main.out(), "up", report);
                if (!LocalMode.wanted(targets)) {
                    TextReports.settings(main.out(), TierSettings.fromOutputs(report.outputs()));
                }
                web.ifPresent(url -> main.out().printf("web tier: %s%n", url));
                health.ifPresent(result -> main.out().printf("health: %s%n", result.message()));
                main.out().flush();
            }
            return report;
        }
    }
}
