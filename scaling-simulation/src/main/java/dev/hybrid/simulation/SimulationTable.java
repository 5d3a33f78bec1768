package dev.hybrid.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Renders simulation results as a plain-text table. */
public final class SimulationTable {
    private static final String ROW = "%-24s %11s %5s %5s %10s %9s %9s %5s %11s %10s%n";
    private static final String SEEDS_ROW = "%-24s %5s %16s %11s %15s %16s %10s%n";
    /** The target: no elastic worker live 2 s after the last reply. */
    static final long TO_ZERO_TARGET_MILLIS = 2_000;

    private SimulationTable() {
    }

    public static String render(List<SimulationResult> results) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, ROW, "scenario", "cold/warm s", "warm", "base",
                "makespan s", "avg s", "p99 s", "peak", "decision s", "to-zero s"));
        for (SimulationResult result : results) {
            SimulationScenario s = result.scenario();
            table.append(String.format(Locale.ROOT, ROW, s.name(),
                    range(s.coldStartMinMillis(), s.coldStartMaxMillis()) + "/" + range(s.warmStartMinMillis(), s.warmStartMaxMillis()),
                    s.warmPoolSize(), s.baseCapacity(),
                    seconds(result.makespanMillis()), String.format(Locale.ROOT, "%.3f", result.averageLatencyMillis() / 1000.0),
                    seconds(result.p99LatencyMillis()), result.peakInstances(),
                    result.decisionDelayMillis() < 0 ? "-" : seconds(result.decisionDelayMillis()),
                    result.timeToZeroMillis() < 0 ? "-" : seconds(result.timeToZeroMillis())));
        }
        return table.toString();
    }

    /**
     * One line per scenario over several seeds: means of makespan, average latency and time to zero, the worst
     * time to zero, and in how many runs it exceeded {@link #TO_ZERO_TARGET_MILLIS}.
     */
    public static String renderOverSeeds(List<SimulationResult> results) {
        Map<String, List<SimulationResult>> byScenario = new LinkedHashMap<>();
        for (SimulationResult result : results) {
            byScenario.computeIfAbsent(result.scenario().name(), name -> new ArrayList<>()).add(result);
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, SEEDS_ROW, "scenario", "runs", "makespan mean s", "avg mean s",
                "to-zero mean s", "to-zero worst s", "over 2 s"));
        byScenario.forEach((name, runs) -> {
            double makespan = runs.stream().mapToLong(SimulationResult::makespanMillis).average().orElse(0);
            double average = runs.stream().mapToDouble(SimulationResult::averageLatencyMillis).average().orElse(0);
            double toZero = runs.stream().mapToLong(SimulationResult::timeToZeroMillis).average().orElse(0);
            long worst = runs.stream().mapToLong(SimulationResult::timeToZeroMillis).max().orElse(0);
            long over = runs.stream().filter(r -> r.timeToZeroMillis() < 0 || r.timeToZeroMillis() > TO_ZERO_TARGET_MILLIS).count();
            table.append(String.format(Locale.ROOT, SEEDS_ROW, name, runs.size(),
                    String.format(Locale.ROOT, "%.3f", makespan / 1000.0), String.format(Locale.ROOT, "%.3f", average / 1000.0),
                    String.format(Locale.ROOT, "%.3f", toZero / 1000.0), seconds(worst), over + " of " + runs.size()));
        });
        return table.toString();
    }

    private static String range(long minMillis, long maxMillis) {
        return trim(minMillis / 1000.0) + "-" + trim(maxMillis / 1000.0);
    }

    private static String trim(double secondsValue) {
        return secondsValue == Math.rint(secondsValue) ? Long.toString((long) secondsValue)
                : String.format(Locale.ROOT, "%.3f", secondsValue).replaceAll("0+$", "");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
