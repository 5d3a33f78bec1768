package dev.hybrid.web.scaling.simulation;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the standard simulation table; {@code hybrid bench --simulate} runs the same API. */
@Command(name = "simulate-scaling", mixinStandardHelpOptions = true,
        description = "Simulates a request burst against the autoscaler on virtual time and prints a table.")
public final class SimulationMain implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--requests", defaultValue = "100", description = "Requests in the burst (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--service-ms", defaultValue = "100",
            description = "Mean time one worker spends on one image, in ms (default: ${DEFAULT-VALUE}).")
    long serviceMillis;

    @Option(names = "--json", description = "Print the results as one JSON array instead of the table.")
    boolean json;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulationMain()).execute(args));
    }

    @Override
    public Integer call() {
        if (requests < 1 || serviceMillis < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--requests and --service-ms must be at least 1");
        }
        List<SimulationResult> results = ScalingSimulation.standardScenarios(seed, requests, serviceMillis).stream()
                .map(ScalingSimulation::run).toList();
        if (json) {
            try {
                System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(results));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return 0;
        }
        System.out.printf("burst of %d requests from 0 running workers, service %d ms ±30%%, seed %d%n",
                requests, serviceMillis, seed);
        System.out.print(SimulationTable.render(results));
        return 0;
    }
}
