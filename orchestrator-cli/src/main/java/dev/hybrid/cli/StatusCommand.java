package dev.hybrid.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackState;
import dev.hybrid.cli.engine.WalkReport;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows which resources of the stack exist, are missing or drifted, and their outputs. Changes nothing.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Mixin
    TargetOptions targets;

    @Option(names = "--no-health", description = "Do not ask the web tier's /healthz: for a floating IP that is not routed to "
            + "this machine (a cloud without a data plane). Its health is then reported as not checked.")
    boolean noHealth;

    @Override
    public Integer call() {
        if (LocalMode.wanted(targets)) {
            return new LocalMode(main, targets).status();
        }
        try (StackSession session = StackSession.open(main, targets, ProgressListener.NONE)) {
            Optional<StackState> cached = session.cache.read();
            Optional<String> deployment = session.existingDeployment();
            if (deployment.isEmpty()) {
                return nothingDeployed(session);
            }
            WalkReport report = session.walker.plan(session.graph, session.context(deployment.get()));
            int code = report.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
            Map<String, String> settings = TierSettings.fromOutputs(report.outputs());
            StackProbes.QueueDepth requests = StackProbes.depth(session.aws.sqs(), settings.get("HYBRID_REQUEST_QUEUE_URL"));
            StackProbes.QueueDepth deadLetters = StackProbes.depth(session.aws.sqs(), settings.get("HYBRID_DEAD_LETTER_QUEUE_URL"));
            Optional<URI> web = session.webUrl(report.outputs());
            Optional<StackProbes.Health> health = web.map(url -> noHealth ? StackProbes.Health.NOT_CHECKED : StackProbes.health(url));
            if (main.json()) {
                ObjectNode document = JsonReports.of("status", report, session, code);
                document.put("deployed", true);
                web.ifPresent(url -> document.put("webUrl", url.toString()));
                health.ifPresent(h -> document.put("health", h.status()).put("model", h.model()).put("engine", h.engine()));
                document.putObject("requestQueue").put("visible", requests.visible()).put("inFlight", requests.inFlight())
                        .put("deadLetters", deadLetters.visible());
                document.put("stateCache", session.cache.file().toString());
                document.put("stateCacheUpdatedAt", cached.map(StackState::updatedAt).orElse(null));
                localWeb().ifPresent(mode -> mode.status(document));
                JsonReports.print(main.out(), document);
            } else {
                main.out().printf("status %s (deployment %s) on %s%n", session.stack, deployment.get(), session.describeTargets());
                TextReports.statusTable(main.out(), report);
                TextReports.settings(main.out(), settings);
                web.ifPresent(url -> main.out().printf("web tier  %s  %s%n", url, health.map(StackProbes.Health::status).orElse("")));
                localWeb().ifPresent(mode -> main.out().println(mode.statusLine()));
                main.out().printf("requests  %d visible, %d in flight, %d dead letters%n", requests.visible(), requests.inFlight(),
                        deadLetters.visible());
                main.out().printf("state cache %s%s%n", session.cache.file(),
                        cached.map(state -> ", updated " + state.updatedAt()).orElse(" (absent; found by tags)"));
                main.out().flush();
            }
            return code;
        }
    }

    /** The web tier that runs here when the OpenStack side is local and the AWS side is not. */
    private Optional<LocalWebMode> localWeb() {
        return LocalWebMode.wanted(targets) ? Optional.of(new LocalWebMode(main, targets)) : Optional.empty();
    }

    private int nothingDeployed(StackSession session) {
        if (main.json()) {
            ObjectNode document = JsonReports.object();
            document.put("command", "status").put("ok", true).put("exitCode", ExitCodes.OK).put("stack", session.stack)
                    .put("aws", session.target.describe()).put("deployed", false);
            localWeb().ifPresent(mode -> mode.status(document));
            JsonReports.print(main.out(), document);
        } else {
            main.out().printf("stack %s is not deployed on %s (no state cache, no tagged resources)%n",
                    session.stack, session.describeTargets());
            localWeb().ifPresent(mode -> main.out().println(mode.statusLine()));
            main.out().flush();
        }
        return ExitCodes.OK;
    }
}
