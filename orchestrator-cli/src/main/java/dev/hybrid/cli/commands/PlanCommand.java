package dev.hybrid.cli.commands;

import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.targets.Targets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Shows what up would create, keep, update, replace or delete. Changes nothing.")
public final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleSource main;

    @Mixin
    TargetOptions targets;

    @Override
    public Integer call() {
        return Targets.choose(main.console(), targets.spec()).plan();
    }
}
