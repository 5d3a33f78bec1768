package dev.hybrid.cli.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The result of one walk. For {@link Operation#PLAN} the changes are what {@code up} would do;
 * for the others they are what was done. Nodes are in dependency order (reverse for teardown).
 */
public record WalkReport(Operation operation, String stack, String deploymentId, List<NodeOutcome> nodes,
                         Map<String, Map<String, String>> outputs, List<Leftover> leftovers, Duration elapsed) {
    public WalkReport {
        nodes = List.copyOf(nodes);
        outputs = Map.copyOf(outputs);
        leftovers = List.copyOf(leftovers);
    }

    public List<Change> changes() {
        return nodes.stream().flatMap(node -> node.changes().stream()).toList();
    }

    public boolean succeeded() {
        return nodes.stream().allMatch(NodeOutcome::ok) && leftovers.isEmpty();
    }

    /** Whether anything was (or, for a plan, would be) created, changed or deleted. */
    public boolean mutates() {
        return changes().stream().anyMatch(change -> change.action().mutates());
    }
}
