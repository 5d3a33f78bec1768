package dev.hybrid.cli;

import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.WalkReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "teardown", mixinStandardHelpOptions = true,
        description = {"Deletes every resource tagged with the stack, whatever deployment made it, emptying buckets first.",
                "Keeps going after errors and lists what was left over (exit code 3)."})
final class TeardownCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Mixin
    TargetOptions targets;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (never asked when stdin is not a terminal).")
    boolean yes;

    @Override
    public Integer call() {
        ProgressListener progress = main.json() ? ProgressListener.NONE : new ProgressPrinter(main.out(), main.verbose());
        try (StackSession session = StackSession.open(main, targets, progress)) {
            if (!yes && System.console() != null && !confirmed(session)) {
                main.err().println("hybrid: teardown cancelled; nothing was deleted");
                return ExitCodes.FAILED;
            }
            String deployment = session.existingDeployment().orElse(null);
            WalkReport report = session.walker.teardown(session.graph, session.context(deployment));
            int code = report.succeeded() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
            if (report.succeeded()) {
                session.cache.delete();
            }
            if (main.json()) {
                JsonReports.print(main.out(), JsonReports.of("teardown", report, session.target, code));
            } else {
                TextReports.summary(main.out(), "teardown", report);
                main.out().flush();
            }
            return code;
        }
    }

    private boolean confirmed(StackSession session) {
        main.err().printf("Delete every resource of stack %s on AWS %s, with all the objects in its buckets? [y/N] ",
                session.stack, session.target.describe());
        main.err().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
        } catch (IOException e) {
            return false;
        }
    }
}
