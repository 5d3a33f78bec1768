package dev.hybrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", mixinStandardHelpOptions = true, description = "Writes a starter hybrid.yaml and checks clouds.yaml and the AWS credentials. (Not implemented yet.)")
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Override
    public Integer call() {
        main.err().println("hybrid init: not implemented yet");
        return ExitCodes.FAILED;
    }
}
