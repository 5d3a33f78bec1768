package dev.hybrid.cli.engine;

import java.util.Map;

/** What the state cache holds: never secrets, only what tags can also tell. */
public record StackState(String stack, String deploymentId, String updatedAt, Map<String, Map<String, String>> outputs) {
    public StackState {
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    }
}
