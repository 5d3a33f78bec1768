package dev.hybrid.cli.engine;

import java.util.Map;
import java.util.Optional;

/**
 * One real instance of a resource as found in a cloud.
 *
 * @param physicalId  the cloud's name for it (queue URL, bucket name, server id)
 * @param deploymentId the {@link Tags#DEPLOYMENT} tag it carries, or null when it carries none
 * @param attributes  what the resource needs to compare it with the desired state
 * @param outputs     what dependents and the user may read (URLs, names, ARNs)
 */
public record Observed(String physicalId, String deploymentId, Map<String, String> attributes, Map<String, String> outputs) {
    public Observed {
        attributes = Map.copyOf(attributes);
        outputs = Map.copyOf(outputs);
    }

    /** One of its own outputs, read through the resource's typed key. */
    public <T> Optional<T> output(OutputKey<?, T> key) {
        return Optional.ofNullable(outputs.get(key.name())).map(key::parse);
    }
}
