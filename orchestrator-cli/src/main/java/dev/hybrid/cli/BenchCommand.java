package dev.hybrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measures throughput, latency and cold start and prints the figures. (Not implemented yet.)")
final class BenchCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Override
    public Integer call() {
        main.err().println("hybrid bench: not implemented yet");
        return ExitCodes.FAILED;
    }
}
