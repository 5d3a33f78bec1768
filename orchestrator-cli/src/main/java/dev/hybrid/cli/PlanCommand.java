package dev.hybrid.cli;

import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.WalkReport;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Shows what up would create, keep, update, replace or delete. Changes nothing.")
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Mixin
    TargetOptions targets;

    @Override
    public Integer call() {
        try (StackSession session = StackSession.open(main, targets, ProgressListener.NONE)) {
            session.requireWebImageFile();
            Optional<String> existing = session.existingDeployment();
            // A new deployment's id is only a sample here: up draws its own.
            String deployment = existing.orElseGet(DeploymentIds::newId);
            WalkReport report = session.walker.plan(session.graph, session.context(deployment));
            int code = report.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
            if (main.json()) {
                var document = JsonReports.of("plan", report, session, code).put("newDeployment", existing.isEmpty());
                if (LocalWebMode.wanted(targets)) {
                    new LocalWebMode(main, targets).plan(document);
                }
                JsonReports.print(main.out(), document);
            } else {
                main.out().printf("plan %s (%s) on %s%n", session.stack,
                        existing.map(id -> "deployment " + id).orElse("new deployment"), session.describeTargets());
                TextReports.planTable(main.out(), report);
                if (LocalWebMode.wanted(targets)) {
                    main.out().println(new LocalWebMode(main, targets).planLine());
                }
                main.out().flush();
            }
            return code;
        }
    }
}
