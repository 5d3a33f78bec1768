package dev.hybrid.cli;

import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackState;
import dev.hybrid.cli.engine.WalkReport;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @picocli.CommandLine.Option(names = "--rotate-keys",
            description = "On AWS: replace the web tier's access key with a new one and delete the old one.")
    boolean rotateKeys;

    @Override
    public Integer call() throws InterruptedException {
        if (LocalMode.wanted(targets)) {
            return new LocalMode(main, targets).up(local, this::walk);
        }
        WalkReport report = walk(targets);
        return report.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The engine's up over the AWS side; prints progress and the result. */
    WalkReport walk(TargetOptions targets) {
        ProgressListener progress = main.json() ? ProgressListener.NONE : new ProgressPrinter(main.out(), main.verbose());
        try (StackSession session = StackSession.open(main, targets, progress, rotateKeys)) {
            String deployment = session.existingDeployment().orElseGet(DeploymentIds::newId);
            // Remembered before anything is created; the tags remember it too, should this file be lost.
            Map<String, Map<String, String>> cached = session.cache.read().filter(s -> deployment.equals(s.deploymentId()))
                    .map(StackState::outputs).orElse(Map.of());
            session.cache.write(session.stack, deployment, cached);
            if (!main.json()) {
                main.out().printf("up %s (deployment %s) on AWS %s%n", session.stack, deployment, session.target.describe());
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
            int code = report.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
            if (main.json() && !LocalMode.wanted(targets)) {
                JsonReports.print(main.out(), JsonReports.of("up", report, session.target, code));
            } else if (!main.json()) {
                TextReports.summary(main.out(), "up", report);
                if (!LocalMode.wanted(targets)) {
                    TextReports.settings(main.out(), TierSettings.fromOutputs(report.outputs()));
                }
                main.out().flush();
            }
            return report;
        }
    }
}
