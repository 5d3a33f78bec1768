package dev.hybrid.cli.output;

import dev.hybrid.cli.engine.Action;
import dev.hybrid.cli.engine.Change;
import dev.hybrid.cli.engine.Leftover;
import dev.hybrid.cli.engine.NodeOutcome;
import dev.hybrid.cli.engine.WalkReport;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tables and summaries for people. */
public final class TextReports {
    private static final String ROW = "  %-8s %-14s %-10s %-60s %s%n";

    private TextReports() {
    }

    public static void planTable(PrintWriter out, WalkReport report) {
        out.printf(Locale.ROOT, ROW, "ACTION", "RESOURCE", "KIND", "ID", "WHY");
        for (Change change : report.changes()) {
            out.printf(Locale.ROOT, ROW, change.action().name().toLowerCase(Locale.ROOT), change.key(), change.kind(),
                    String.valueOf(change.physicalId()), change.reason());
        }
        failures(out, report);
        out.println(counts(report.changes()) + (report.mutates() ? "" : "; nothing to do"));
    }

    public static void statusTable(PrintWriter out, WalkReport report) {
        out.printf(Locale.ROOT, ROW, "STATE", "RESOURCE", "KIND", "ID", "DETAIL");
        for (Change change : report.changes()) {
            String state = switch (change.action()) {
                case KEEP -> "ok";
                case CREATE -> "missing";
                case UPDATE, REPLACE -> "drifted";
                case DELETE -> "stray";
            };
            out.printf(Locale.ROOT, ROW, state, change.key(), change.kind(),
                    change.action() == Action.CREATE ? "-" : change.physicalId(), change.reason());
        }
        failures(out, report);
    }

    public static void summary(PrintWriter out, String verb, WalkReport report) {
        failures(out, report);
        for (Leftover leftover : report.leftovers()) {
            out.printf(Locale.ROOT, "  left over: %s %s %s: %s%n", leftover.key(), leftover.kind(), leftover.physicalId(), leftover.reason());
        }
        out.printf(Locale.ROOT, "%s %s (deployment %s) in %.1f s: %s%n", verb, report.stack(), report.deploymentId(),
                report.elapsed().toMillis() / 1000.0, counts(report.changes()));
    }

    public static void settings(PrintWriter out, Map<String, String> settings) {
        settings.forEach((name, value) -> out.printf(Locale.ROOT, "  %s=%s%n", name, value));
    }

    private static void failures(PrintWriter out, WalkReport report) {
        for (NodeOutcome node : report.nodes()) {
            if (!node.ok()) {
                out.printf(Locale.ROOT, "  %s %s: %s%n", node.status().name().toLowerCase(Locale.ROOT), node.key(), node.error());
            }
        }
    }

    private static String counts(List<Change> changes) {
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        changes.forEach(change -> counts.merge(change.action(), 1, Integer::sum));
        if (counts.isEmpty()) {
            return "no resources";
        }
        StringBuilder text = new StringBuilder();
        counts.forEach((action, count) -> text.append(text.length() == 0 ? "" : ", ").append(count).append(' ')
                .append(action.name().toLowerCase(Locale.ROOT)));
        return text.toString();
    }
}
