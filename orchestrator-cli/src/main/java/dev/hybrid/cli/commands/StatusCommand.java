package dev.hybrid.cli.commands;

import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.targets.Target;
import dev.hybrid.cli.targets.Targets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows which resources of the stack exist, are missing or drifted, and their outputs. Changes nothing.")
public final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleSource main;

    @Mixin
    TargetOptions targets;

    @Option(names = "--no-health", description = "Do not ask the web tier's /healthz: for a floating IP that is not routed to "
            + "this machine (a cloud without a data plane). Its health is then reported as not checked.")
    boolean noHealth;

    @Override
    public Integer call() {
        return Targets.choose(main.console(), targets.spec()).status(new Target.Status(!noHealth));
    }
}
