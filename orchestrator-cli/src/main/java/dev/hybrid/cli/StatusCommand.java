package dev.hybrid.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackState;
import dev.hybrid.cli.engine.WalkReport;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows which resources of the stack exist, are missing or drifted, and their outputs. Changes nothing.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Mixin
    TargetOptions targets;

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
            if (main.json()) {
                ObjectNode document = JsonReports.of("status", report, session.target, code);
                document.put("deployed", true);
                document.put("stateCache", session.cache.file().toString());
                document.put("stateCacheUpdatedAt", cached.map(StackState::updatedAt).orElse(null));
                JsonReports.print(main.out(), document);
            } else {
                main.out().printf("status %s (deployment %s) on AWS %s%n", session.stack, deployment.get(), session.target.describe());
                TextReports.statusTable(main.out(), report);
                TextReports.settings(main.out(), TierSettings.fromOutputs(report.outputs()));
                main.out().printf("state cache %s%s%n", session.cache.file(),
                        cached.map(state -> ", updated " + state.updatedAt()).orElse(" (absent; found by tags)"));
                main.out().flush();
            }
            return code;
        }
    }

    private int nothingDeployed(StackSession session) {
        if (main.json()) {
            ObjectNode document = JsonReports.object();
            document.put("command", "status").put("ok", true).put("exitCode", ExitCodes.OK).put("stack", session.stack)
                    .put("aws", session.target.describe()).put("deployed", false);
            JsonReports.print(main.out(), document);
        } else {
            main.out().printf("stack %s is not deployed on AWS %s (no state cache, no tagged resources)%n",
                    session.stack, session.target.describe());
            main.out().flush();
        }
        return ExitCodes.OK;
    }
}
