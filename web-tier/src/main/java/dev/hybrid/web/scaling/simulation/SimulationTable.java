package dev.hybrid.web.scaling.simulation;

import java.util.List;
import java.util.Locale;

/** Renders simulation results as a plain-text table. */
public final class SimulationTable {
    private static final String ROW = "%-24s %11s %5s %5s %10s %9s %9s %5s %11s %10s%n";

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
