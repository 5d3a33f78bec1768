package dev.hybrid.cli.engine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What every resource of one walk shares: the stack, the deployment, the outputs so far. */
public final class StackContext {
    private final String stack;
    private final String deploymentId;
    private final Map<String, Map<String, String>> outputs = new ConcurrentHashMap<>();

    public StackContext(String stack, String deploymentId) {
        this.stack = stack;
        this.deploymentId = deploymentId;
    }

    public String stack() {
        return stack;
    }

    public String deploymentId() {
        return deploymentId;
    }

    /** An output of a dependency; empty when the dependency does not exist (yet). */
    public Optional<String> output(String resourceKey, String name) {
        return Optional.ofNullable(outputs.getOrDefault(resourceKey, Map.of()).get(name));
    }

    void publish(String resourceKey, Map<String, String> values) {
        outputs.put(resourceKey, Map.copyOf(values));
    }

    void forget(String resourceKey) {
        outputs.remove(resourceKey);
    }

    public Map<String, Map<String, String>> outputs() {
        return Map.copyOf(outputs);
    }
}
