package dev.hybrid.cli.engine;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A typed reference to one output of one resource, made by {@link Address#get}. A resource that reads a reference
 * names it in {@link Resource#reads()}, and so depends on the resource it refers to. Until that resource exists (in a
 * plan, before it is created) the value is unknown: "known after apply".
 */
public record Ref<T>(String resource, OutputKey<?, T> output) {
    /** Its value among a walk's outputs (a report's or the state cache's, by resource key and output name). */
    public Optional<T> in(Map<String, Map<String, String>> outputs) {
        return Optional.ofNullable(outputs.getOrDefault(resource, Map.of()).get(output.name())).map(output::parse);
    }

    /** The keys of the resources that {@code refs} refer to. */
    public static Set<String> resources(Collection<? extends Ref<?>> refs) {
        Set<String> keys = new LinkedHashSet<>();
        refs.forEach(ref -> keys.add(ref.resource()));
        return Set.copyOf(keys);
    }

    /** For a plan's reason, e.g. {@code sqs:request.arn known after apply}. */
    public static String knownAfterApply(Collection<? extends Ref<?>> refs) {
        return String.join(", ", refs.stream().map(Ref::toString).toList()) + " known after apply";
    }

    @Override
    public String toString() {
        return resource + "." + output.name();
    }
}
