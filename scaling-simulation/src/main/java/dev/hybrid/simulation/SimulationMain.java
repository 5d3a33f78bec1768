package dev.hybrid.simulation;

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

    @Option(names = "--boot-lead-ms", paramLabel = "MIN-MAX",
            description = "EC2 scenarios: the last part of each start, from EC2 reporting the instance running to its worker "
                    + "serving, in ms (default: the worker's measured cold start, "
                    + SimulationScenario.EC2_BOOT_LEAD_MIN_MILLIS + "-" + SimulationScenario.EC2_BOOT_LEAD_MAX_MILLIS + ").")
    String bootLead;

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
        long[] range = seeds == null ? new long[] {seed, seed} : range("--seeds", seeds, 10_000);
        long[] lead = bootLead == null ? null : range("--boot-lead-ms", bootLead, Long.MAX_VALUE);
        List<SimulationResult> results = new ArrayList<>();
        for (long s = range[0]; s <= range[1]; s++) {
            for (SimulationScenario scenario : ScalingSimulation.standardScenarios(s, requests, serviceMillis)) {
                if (lead != null && scenario.instanceStates()) {
                    try {
                        scenario = scenario.withBootLead(lead[0], lead[1]);
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.ParameterException(new CommandLine(this), "--boot-lead-ms: " + e.getMessage());
                    }
                }
                results.add(ScalingSimulation.run(scenario));
            }
        }
        if (json) {
            try {
                System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(results));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return 0;
        }
        String leadText = String.format(java.util.Locale.ROOT, "EC2 boot lead %.1f-%.1f s",
                (lead == null ? SimulationScenario.EC2_BOOT_LEAD_MIN_MILLIS : lead[0]) / 1000.0,
                (lead == null ? SimulationScenario.EC2_BOOT_LEAD_MAX_MILLIS : lead[1]) / 1000.0);
        if (seeds != null) {
            System.out.printf("burst of %d requests from 0 running workers, service %d ms ±30%%, %s, seeds %d-%d%n",
                    requests, serviceMillis, leadText, range[0], range[1]);
            System.out.print(SimulationTable.renderOverSeeds(results));
            return 0;
        }
        System.out.printf("burst of %d requests from 0 running workers, service %d ms ±30%%, %s, seed %d%n",
                requests, serviceMillis, leadText, seed);
        System.out.print(SimulationTable.render(results));
        return 0;
    }

    /** FROM-TO, or one number for both; at most {@code maxCount} values. */
    private long[] range(String option, String text, long maxCount) {
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("(\\d{1,15})(?:-(\\d{1,15}))?").matcher(text.trim());
        if (!range.matches()) {
            throw new CommandLine.ParameterException(new CommandLine(this), option + " takes FROM-TO (e.g. 1-50), not '" + text + "'");
        }
        long from = Long.parseLong(range.group(1));
        long to = range.group(2) == null ? from : Long.parseLong(range.group(2));
        if (to < from || to - from >= maxCount) {
            throw new CommandLine.ParameterException(new CommandLine(this), option + ": FROM-TO with FROM <= TO"
                    + (maxCount == Long.MAX_VALUE ? "" : ", at most " + maxCount + " values"));
        }
        return new long[] {from, to};
    }
}
