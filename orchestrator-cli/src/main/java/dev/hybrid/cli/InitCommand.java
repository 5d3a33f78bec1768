package dev.hybrid.cli;

import dev.hybrid.cli.config.StackConfigFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Writes a commented hybrid.yaml with every setting at its default; flags of other commands override it.")
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Option(names = {"-f", "--file"}, defaultValue = StackConfigFile.DEFAULT_NAME, paramLabel = "FILE",
            description = "Where to write it (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Override
    public Integer call() {
        StackConfigFile.writeDefault(file, force);
        if (main.json()) {
            JsonReports.print(main.out(), JsonReports.object().put("command", "init").put("ok", true).put("exitCode", ExitCodes.OK)
                    .put("file", file.toAbsolutePath().toString()));
        } else {
            main.out().printf("wrote %s; edit it, then run 'hybrid plan'%n", file);
            main.out().flush();
        }
        return ExitCodes.OK;
    }
}
