package dev.hybrid.cli.commands;

import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.targets.Target;
import dev.hybrid.cli.targets.Targets;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "teardown", mixinStandardHelpOptions = true,
        description = {"Deletes every resource tagged with the stack, whatever deployment made it, emptying buckets first.",
                "Keeps going after errors and lists what was left over (exit code 3)."})
public final class TeardownCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleSource main;

    @Mixin
    TargetOptions targets;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (never asked when stdin is not a terminal).")
    boolean yes;

    @Option(names = "--keep-data", description = "With --local: stop the processes but keep the queues' and buckets' data.")
    boolean keepData;

    @Option(names = "--keep-images", description = "Keep the baked app-tier images and their snapshots; a later up with the same inputs reuses them.")
    boolean keepImages;

    @Override
    public Integer call() throws InterruptedException, IOException {
        return Targets.choose(main.console(), targets.spec()).teardown(new Target.Teardown(yes, keepData, keepImages));
    }
}
