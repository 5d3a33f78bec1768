package dev.hybrid.cli.commands;

import dev.hybrid.cli.config.StackConfigFile;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.output.JsonReports;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Writes a commented hybrid.yaml with every setting at its default; flags of other commands override it.")
public final class InitCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleSource main;

    @Option(names = {"-f", "--file"}, defaultValue = StackConfigFile.DEFAULT_NAME, paramLabel = "FILE",
            description = "Where to write it (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Override
    public Integer call() {
        Console console = main.console();
        StackConfigFile.writeDefault(file, force);
        if (console.json()) {
            JsonReports.print(console.out(), JsonReports.object().put("command", "init").put("ok", true).put("exitCode", ExitCodes.OK)
                    .put("file", file.toAbsolutePath().toString()));
        } else {
            console.out().printf("wrote %s; edit it, then run 'hybrid plan'%n", file);
            console.out().flush();
        }
        return ExitCodes.OK;
    }
}
