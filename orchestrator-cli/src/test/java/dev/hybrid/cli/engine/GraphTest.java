package dev.hybrid.cli.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphTest {
    private static FakeResource resource(String key, String... dependsOn) {
        return new FakeResource(key, Set.of(dependsOn), FakeResource.newCloud(), new ArrayList<>());
    }

    @Test
    void aClosureHoldsTheNamedResourcesAndEverythingTheyNeedInOrder() {
        Graph graph = Graph.of(List.of(resource("queue"), resource("bucket"), resource("role", "queue", "bucket"), resource("group"),
                resource("image", "role", "group"), resource("template", "image"), resource("user", "queue")));
        Graph closure = graph.closureOf(Set.of("image"));
        assertEquals(List.of("queue", "bucket", "role", "group", "image"), closure.order().stream().map(Resource::key).toList());
        assertEquals(List.of("queue", "user"), graph.closureOf(Set.of("user")).order().stream().map(Resource::key).toList());
    }

    @Test
    void aClosureOfAnUnknownKeyIsRefused() {
        Graph graph = Graph.of(List.of(resource("queue")));
        assertEquals("no resource image in this graph",
                assertThrows(IllegalArgumentException.class, () -> graph.closureOf(Set.of("image"))).getMessage());
    }
}
