package dev.hybrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "classify", mixinStandardHelpOptions = true, description = "Uploads images to the web tier and prints each label. (Not implemented yet.)")
final class ClassifyCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Override
    public Integer call() {
        main.err().println("hybrid classify: not implemented yet");
        return ExitCodes.FAILED;
    }
}
