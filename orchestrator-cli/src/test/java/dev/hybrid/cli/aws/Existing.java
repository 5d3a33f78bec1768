package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A dependency that already exists with given outputs, e.g. a queue, so IAM and EC2 resources can be walked alone. */
record Existing(String key, Map<String, String> outputs) implements Resource {
    @Override
    public String kind() {
        return "existing";
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of();
    }

    @Override
    public List<Observed> discover(StackContext context) {
        return List.of(new Observed(key, context.deploymentId(), Map.of(), outputs));
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        return Diff.keep();
    }

    @Override
    public Observed create(StackContext context) {
        throw new AssertionError(key + " exists");
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        // not this test's business
    }
}
