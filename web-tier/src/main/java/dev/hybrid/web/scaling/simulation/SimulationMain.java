package dev.hybrid.web.scaling.simulation;

import java.util.ArrayList;
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

    @Option(names = "--seeds", paramLabel = "FROM-TO",
            description = "Run every scenario once per seed in this range (e.g. 1-50) and print mean and worst figures "
                    + "per scenario instead of one seed's table.")
    String seeds;

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
        long[] range = seeds == null ? new long[] {seed, seed} : seedRange(seeds);
        List<SimulationResult> results = new ArrayList<>();
        for (long s = range[0]; s <= range[1]; s++) {
            ScalingSimulation.standardScenarios(s, requests, serviceMillis).stream().map(ScalingSimulation::run)
                    .forEach(results::add);
        }
        if (json) {
            try {
                System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(results));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return 0;
        }
        if (seeds != null) {
            System.out.printf("burst of %d requests from 0 running workers, service %d ms ±30%%, seeds %d-%d%n",
                    requests, serviceMillis, range[0], range[1]);
            System.out.print(SimulationTable.renderOverSeeds(results));
            return 0;
        }
        System.out.printf("burst of %d requests from 0 running workers, service %d ms ±30%%, seed %d%n",
                requests, serviceMillis, seed);
        System.out.print(SimulationTable.render(results));
        return 0;
    }

    private long[] seedRange(String text) {
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("(\\d+)(?:-(\\d+))?").matcher(text.trim());
        if (!range.matches()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--seeds takes FROM-TO (e.g. 1-50), not '" + text + "'");
        }
        long from = Long.parseLong(range.group(1));
        long to = range.group(2) == null ? from : Long.parseLong(range.group(2));
        if (to < from || to - from >= 10_000) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--seeds: FROM-TO with FROM <= TO, at most 10000 seeds");
        }
        return new long[] {from, to};
    }
}
