package dev.hybrid.cli.engine;

import java.util.Collection;
import java.util.List;
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

    /** The value of a dependency's output; empty while it is unknown, i.e. before the dependency exists (in a plan). */
    public <T> Optional<T> get(Ref<T> ref) {
        return ref.in(outputs);
    }

    /** The value of a dependency's output, which must be known: in {@code up} every dependency exists before its dependents. */
    public <T> T require(Ref<T> ref) {
        return get(ref).orElseThrow(() -> new IllegalStateException(ref.resource() + " has no " + ref.output().name() + " yet"));
    }

    /** Those of {@code refs} whose values are not known yet; empty when all are. */
    public List<Ref<?>> unknown(Collection<? extends Ref<?>> refs) {
        return refs.stream().filter(ref -> get(ref).isEmpty()).<Ref<?>>map(ref -> ref).toList();
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
