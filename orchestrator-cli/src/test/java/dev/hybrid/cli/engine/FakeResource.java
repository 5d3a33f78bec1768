package dev.hybrid.cli.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** An in-memory resource whose "cloud" is a map shared by the resources of one test. */
final class FakeResource implements Resource {
    final String key;
    final Set<String> dependsOn;
    final Map<String, Observed> cloud;
    final List<String> journal;
    volatile Consumer<String> hook = step -> { };
    volatile String wantedSize = "1";
    volatile boolean wanted = true;

    FakeResource(String key, Set<String> dependsOn, Map<String, Observed> cloud, List<String> journal) {
        this.key = key;
        this.dependsOn = dependsOn;
        this.cloud = cloud;
        this.journal = journal;
    }

    static Map<String, Observed> newCloud() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String kind() {
        return "fake";
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    @Override
    public boolean wanted(StackContext context) {
        return wanted;
    }

    @Override
    public List<Observed> discover(StackContext context) {
        hook.accept("discover");
        List<Observed> found = new ArrayList<>();
        cloud.forEach((id, observed) -> {
            if (id.startsWith(key + "/")) {
                found.add(observed);
            }
        });
        return found;
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        return wantedSize.equals(observed.attributes().get("size")) ? Diff.keep() : Diff.update("size " + observed.attributes().get("size"));
    }

    @Override
    public Observed create(StackContext context) {
        hook.accept("create");
        journal.add("create " + key);
        Observed made = new Observed(key + "/" + context.deploymentId(), context.deploymentId(), Map.of("size", wantedSize),
                Map.of("id", key + "/" + context.deploymentId()));
        cloud.put(made.physicalId(), made);
        return made;
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        journal.add("update " + key);
        Observed updated = new Observed(observed.physicalId(), observed.deploymentId(), Map.of("size", wantedSize), observed.outputs());
        cloud.put(updated.physicalId(), updated);
        return updated;
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        hook.accept("delete");
        journal.add("delete " + key);
        cloud.remove(observed.physicalId());
    }
}
