package dev.hybrid.cli.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Resources and their dependencies; refuses unknown dependencies and cycles when built. */
public final class Graph {
    private final Map<String, Resource> byKey;
    private final List<Resource> order;
    private final Map<String, List<String>> dependents;

    private Graph(Map<String, Resource> byKey) {
        this.byKey = byKey;
        this.order = topologicalOrder(byKey);
        Map<String, List<String>> reverse = new LinkedHashMap<>();
        byKey.keySet().forEach(key -> reverse.put(key, new ArrayList<>()));
        for (Resource resource : order) {
            resource.dependsOn().forEach(dependency -> reverse.get(dependency).add(resource.key()));
        }
        this.dependents = reverse;
    }

    public static Graph of(List<? extends Resource> resources) {
        Map<String, Resource> byKey = new LinkedHashMap<>();
        for (Resource resource : resources) {
            if (byKey.putIfAbsent(resource.key(), resource) != null) {
                throw new IllegalArgumentException("two resources share the key " + resource.key());
            }
        }
        for (Resource resource : resources) {
            for (String dependency : resource.dependsOn()) {
                if (!byKey.containsKey(dependency)) {
                    throw new IllegalArgumentException(resource.key() + " depends on unknown resource " + dependency);
                }
            }
        }
        return new Graph(byKey);
    }

    /** Every resource after all of its dependencies; ties keep the order given. */
    public List<Resource> order() {
        return order;
    }

    /** Every resource before all of its dependencies: the teardown order. */
    public List<Resource> reverseOrder() {
        List<Resource> reversed = new ArrayList<>(order);
        Collections.reverse(reversed);
        return reversed;
    }

    public Resource get(String key) {
        return byKey.get(key);
    }

    public Set<String> dependenciesOf(String key) {
        return byKey.get(key).dependsOn();
    }

    public List<String> dependentsOf(String key) {
        return List.copyOf(dependents.get(key));
    }

    /** The resources {@code keys} name together with everything they need: what to walk to make just those. */
    public Graph closureOf(Set<String> keys) {
        Set<String> wanted = new java.util.LinkedHashSet<>();
        java.util.Deque<String> pending = new java.util.ArrayDeque<>(keys);
        while (!pending.isEmpty()) {
            String key = pending.pop();
            if (!byKey.containsKey(key)) {
                throw new IllegalArgumentException("no resource " + key + " in this graph");
            }
            if (wanted.add(key)) {
                pending.addAll(byKey.get(key).dependsOn());
            }
        }
        return of(order.stream().filter(resource -> wanted.contains(resource.key())).toList());
    }

    public int size() {
        return order.size();
    }

    private static List<Resource> topologicalOrder(Map<String, Resource> byKey) {
        List<Resource> sorted = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        Set<String> visiting = new TreeSet<>();
        for (Resource resource : byKey.values()) {
            visit(resource, byKey, done, visiting, sorted);
        }
        return List.copyOf(sorted);
    }

    private static void visit(Resource resource, Map<String, Resource> byKey, Set<String> done, Set<String> visiting, List<Resource> sorted) {
        if (done.contains(resource.key())) {
            return;
        }
        if (!visiting.add(resource.key())) {
            throw new IllegalArgumentException("dependency cycle through " + resource.key());
        }
        for (String dependency : resource.dependsOn()) {
            visit(byKey.get(dependency), byKey, done, visiting, sorted);
        }
        visiting.remove(resource.key());
        done.add(resource.key());
        sorted.add(resource);
    }
}
