package dev.hybrid.cli;

import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.local.LocalStackException;
import dev.hybrid.cli.local.LocalWebTier;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "teardown", mixinStandardHelpOptions = true,
        description = {"Deletes every resource tagged with the stack, whatever deployment made it, emptying buckets first.",
                "Keeps going after errors and lists what was left over (exit code 3)."})
final class TeardownCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(TeardownCommand.class);

    @ParentCommand
    HybridMain main;

    @Mixin
    TargetOptions targets;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (never asked when stdin is not a terminal).")
    boolean yes;

    @Option(names = "--keep-data", description = "With --local: stop the processes but keep the queues' and buckets' data.")
    boolean keepData;

    @Option(names = "--keep-images", description = "Keep the baked app-tier images and their snapshots; a later up with the same inputs reuses them.")
    boolean keepImages;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        if (LocalMode.wanted(targets)) {
            return new LocalMode(main, targets).teardown(keepData, this::walk);
        }
        WalkReport report = walk(targets, LocalWebMode.wanted(targets) ? new LocalWebMode(main, targets) : null);
        if (report != null && localWebStopped != null && !localWebStopped.stillRunning().isEmpty()) {
            return ExitCodes.INCOMPLETE;
        }
        return report == null ? ExitCodes.FAILED : report.succeeded() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    /** Set when a local web tier was stopped before the walk. */
    private LocalWebTier.Stopped localWebStopped;

    private WalkReport walk(TargetOptions targets) {
        return walk(targets, null);
    }

    /**
     * The engine's teardown; null when the user said no. A web tier that runs here is stopped first, once the user
     * said yes, so that its autoscaler cannot launch a worker while the stack goes.
     */
    private WalkReport walk(TargetOptions targets, LocalWebMode localWeb) {
        ProgressListener progress = main.json() ? ProgressListener.NONE : new ProgressPrinter(main.out(), main.verbose());
        try (StackSession session = StackSession.open(main, targets, progress, new StackSession.Options(ProgressBars.NONE, false, keepImages))) {
            if (!yes && main.terminal().interactive() && !confirmed(session)) {
                main.err().println("hybrid: teardown cancelled; nothing was deleted");
                return null;
            }
            if (localWeb != null) {
                try {
                    localWebStopped = localWeb.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LocalStackException("interrupted while the local web tier stopped; nothing on AWS was deleted");
                }
            }
            String deployment = deploymentIfKnown(session);
            WalkReport report = session.walker.teardown(session.graph, session.context(deployment));
            boolean webStopped = localWebStopped == null || localWebStopped.stillRunning().isEmpty();
            int code = report.succeeded() && webStopped ? ExitCodes.OK : ExitCodes.INCOMPLETE;
            if (report.succeeded()) {
                session.cache.delete();
            }
            if (main.json() && !LocalMode.wanted(targets)) {
                var document = JsonReports.of("teardown", report, session, code);
                if (localWebStopped != null) {
                    LocalWebMode.describe(document, localWebStopped);
                }
                JsonReports.print(main.out(), document);
            } else if (!main.json()) {
                TextReports.summary(main.out(), "teardown", report);
                main.out().flush();
            }
            return report;
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
        main.err().printf("Delete every resource of stack %s on %s, with all the objects in its buckets? [y/N] ",
                session.stack, session.describeTargets());
        main.err().flush();
        String answer = main.terminal().readLine();
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
    }
}
