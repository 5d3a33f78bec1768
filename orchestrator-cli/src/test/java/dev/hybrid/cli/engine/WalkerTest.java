package dev.hybrid.cli.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WalkerTest {
    private final Map<String, Observed> cloud = FakeResource.newCloud();
    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());

    private FakeResource resource(String key, String... dependsOn) {
        return new FakeResource(key, Set.of(dependsOn), cloud, journal);
    }

    private Walker walker(int parallelism) {
        return new Walker(parallelism, events::add);
    }

    @Test
    void independentResourcesRunAtTheSameTime() {
        int width = 4;
        CountDownLatch allStarted = new CountDownLatch(width);
        AtomicInteger sawOthers = new AtomicInteger();
        List<FakeResource> resources = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            FakeResource r = resource("r" + i);
            r.hook = step -> {
                if (step.equals("create")) {
                    allStarted.countDown();
                    try {
                        // Only returns true when every sibling is inside create at the same time.
                        if (allStarted.await(20, TimeUnit.SECONDS)) {
                            sawOthers.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            resources.add(r);
        }
        try (Walker walker = walker(width)) {
            WalkReport report = walker.up(Graph.of(resources), new StackContext("s", "d1"));
            assertTrue(report.succeeded());
        }
        assertEquals(width, sawOthers.get());
    }

    @Test
    void upCreatesDependenciesFirstAndTeardownDeletesThemLast() {
        Graph graph = Graph.of(List.of(resource("c", "b"), resource("b", "a"), resource("a"), resource("d", "a")));
        try (Walker walker = walker(3)) {
            assertTrue(walker.up(graph, new StackContext("s", "d1")).succeeded());
            assertBefore("create a", "create b");
            assertBefore("create b", "create c");
            assertBefore("create a", "create d");
            journal.clear();
            WalkReport teardown = walker.teardown(graph, new StackContext("s", "d1"));
            assertTrue(teardown.succeeded(), teardown.toString());
            assertBefore("delete c", "delete b");
            assertBefore("delete b", "delete a");
            assertBefore("delete d", "delete a");
        }
        assertTrue(cloud.isEmpty());
    }

    @Test
    void secondUpChangesNothingAndPlanNeverChangesAnything() {
        FakeResource a = resource("a");
        Graph graph = Graph.of(List.of(a, resource("b", "a")));
        try (Walker walker = walker(2)) {
            WalkReport plan = walker.plan(graph, new StackContext("s", "d1"));
            assertEquals(List.of(Action.CREATE, Action.CREATE), plan.changes().stream().map(Change::action).toList());
            assertTrue(journal.isEmpty(), "plan must not change anything: " + journal);

            walker.up(graph, new StackContext("s", "d1"));
            journal.clear();
            WalkReport second = walker.up(graph, new StackContext("s", "d1"));
            assertFalse(second.mutates(), second.changes().toString());
            assertTrue(journal.isEmpty(), journal.toString());
            assertEquals("a/d1", second.outputs().get("a").get("id"));

            a.wantedSize = "2";
            WalkReport drift = walker.plan(graph, new StackContext("s", "d1"));
            assertEquals(Action.UPDATE, drift.changes().get(0).action());
            assertTrue(journal.isEmpty());
            walker.up(graph, new StackContext("s", "d1"));
            assertEquals(List.of("update a"), journal);
        }
    }

    @Test
    void aResourceNoLongerWantedIsDeletedByUpAndNotCreatedAgain() {
        FakeResource image = resource("image");
        Graph graph = Graph.of(List.of(image, resource("server", "image")));
        try (Walker walker = walker(2)) {
            walker.up(graph, new StackContext("s", "d1"));
            image.wanted = false;
            journal.clear();

            WalkReport plan = walker.plan(graph, new StackContext("s", "d1"));
            assertEquals(List.of(Action.DELETE, Action.KEEP), plan.changes().stream().map(Change::action).toList());
            assertTrue(journal.isEmpty(), journal.toString());

            WalkReport up = walker.up(graph, new StackContext("s", "d1"));
            assertTrue(up.succeeded(), up.toString());
            assertEquals(List.of("delete image"), journal);
            assertEquals(Set.of("server/d1"), cloud.keySet());
            assertFalse(walker.up(graph, new StackContext("s", "d1")).mutates(), "a second up must not create it again");
        }
    }

    @Test
    void upDeletesStraysOfOtherDeployments() {
        FakeResource a = resource("a");
        try (Walker walker = walker(2)) {
            walker.up(Graph.of(List.of(a)), new StackContext("s", "old"));
            WalkReport report = walker.up(Graph.of(List.of(a)), new StackContext("s", "new"));
            assertEquals(Set.of(Action.DELETE, Action.CREATE), Set.copyOf(report.changes().stream().map(Change::action).toList()));
        }
        assertEquals(Set.of("a/new"), cloud.keySet());
    }

    @Test
    void failedUpSkipsOnlyTheDependentsOfTheFailure() {
        FakeResource broken = resource("broken");
        broken.hook = step -> {
            if (step.equals("create")) {
                throw new IllegalStateException("quota exceeded\nsecond line");
            }
        };
        Graph graph = Graph.of(List.of(broken, resource("child", "broken"), resource("independent")));
        try (Walker walker = walker(2)) {
            WalkReport report = walker.up(graph, new StackContext("s", "d1"));
            assertFalse(report.succeeded());
            Map<String, NodeOutcome> byKey = new java.util.HashMap<>();
            report.nodes().forEach(n -> byKey.put(n.key(), n));
            assertEquals(NodeOutcome.Status.FAILED, byKey.get("broken").status());
            assertEquals("quota exceeded", byKey.get("broken").error());
            assertEquals(NodeOutcome.Status.SKIPPED, byKey.get("child").status());
            assertEquals(NodeOutcome.Status.OK, byKey.get("independent").status());
        }
        assertEquals(Set.of("independent/d1"), cloud.keySet());
        assertTrue(events.stream().anyMatch(e -> e.key().equals("broken") && e.phase() == ProgressEvent.Phase.FAILED));
        assertTrue(events.stream().anyMatch(e -> e.key().equals("child") && e.phase() == ProgressEvent.Phase.SKIPPED));
    }

    @Test
    void teardownKeepsGoingAfterAnErrorAndReportsTheLeftover() {
        FakeResource stuck = resource("stuck", "base");
        Graph graph = Graph.of(List.of(resource("base"), stuck, resource("top", "stuck"), resource("other")));
        try (Walker walker = walker(2)) {
            walker.up(graph, new StackContext("s", "d1"));
            stuck.hook = step -> {
                if (step.equals("delete")) {
                    throw new IllegalStateException("DependencyViolation");
                }
            };
            WalkReport report = walker.teardown(graph, new StackContext("s", "d1"));
            assertFalse(report.succeeded());
            assertEquals(List.of(new Leftover("stuck", "fake", "stuck/d1", "DependencyViolation")), report.leftovers());
        }
        assertEquals(Set.of("stuck/d1"), cloud.keySet(), "everything else, even what stuck depends on, is deleted");
    }

    @Test
    void progressReportsStartAndEndOfEveryResource() {
        try (Walker walker = walker(2)) {
            walker.up(Graph.of(List.of(resource("a"), resource("b", "a"))), new StackContext("s", "d1"));
        }
        assertEquals(4, events.size());
        assertEquals(2, events.stream().filter(e -> e.phase() == ProgressEvent.Phase.STARTED).count());
        assertTrue(events.stream().filter(e -> e.phase() == ProgressEvent.Phase.DONE).allMatch(e -> e.detail().equals("create")));
    }

    @Test
    void graphRefusesCyclesAndUnknownDependencies() {
        assertThrows(IllegalArgumentException.class, () -> Graph.of(List.of(resource("a", "b"), resource("b", "a"))));
        assertThrows(IllegalArgumentException.class, () -> Graph.of(List.of(resource("a", "missing"))));
        assertThrows(IllegalArgumentException.class, () -> Graph.of(List.of(resource("a"), resource("a"))));
    }

    private void assertBefore(String first, String second) {
        int i = journal.indexOf(first);
        int j = journal.indexOf(second);
        assertTrue(i >= 0 && j >= 0 && i < j, first + " before " + second + " in " + journal);
    }
}
