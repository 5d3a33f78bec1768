package dev.hybrid.cli.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a {@link Graph}: plan, up and teardown are the same walk with a different step per
 * resource. A resource starts as soon as the resources it waits for are finished, on a bounded
 * pool, so independent resources run in parallel. Up and plan wait for dependencies; teardown
 * waits for dependents. Every step reports instead of throwing, so one failure never stops the
 * others: in up only the failed resource's dependents are skipped, teardown skips nothing.
 */
public final class Walker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Walker.class);

    private final ExecutorService executor;
    private final ProgressListener listener;
    private final Function<Throwable, String> describer;

    public Walker(int parallelism, ProgressListener listener) {
        this(parallelism, listener, Walker::describe);
    }

    /** {@code describer} turns a resource's failure into the one line reported for it. */
    public Walker(int parallelism, ProgressListener listener, Function<Throwable, String> describer) {
        this.describer = describer;
        this.executor = Executors.newFixedThreadPool(parallelism, DaemonThreads.named("walker"));
        this.listener = listener;
    }

    /** What {@code up} would do. Only reads. */
    public WalkReport plan(Graph graph, StackContext context) {
        return walk(Operation.PLAN, graph, context, false, resource -> reconcile(resource, context, false));
    }

    /** Converges the clouds on the graph; a second run on an unchanged stack changes nothing. */
    public WalkReport up(Graph graph, StackContext context) {
        return walk(Operation.UP, graph, context, false, resource -> reconcile(resource, context, true));
    }

    /** Deletes every instance tagged with the stack, whatever deployment made it. */
    public WalkReport teardown(Graph graph, StackContext context) {
        return walk(Operation.TEARDOWN, graph, context, true, resource -> deleteAll(resource, context));
    }

    /** How many instances of the stack carry each deployment tag; discovers in parallel, changes nothing. */
    public Map<String, Integer> deploymentsByTag(Graph graph, String stack) {
        StackContext anyDeployment = new StackContext(stack, null);
        List<CompletableFuture<List<Observed>>> discoveries = graph.order().stream()
                .map(resource -> CompletableFuture.supplyAsync(() -> resource.discover(anyDeployment), executor)).toList();
        Map<String, Integer> votes = new java.util.HashMap<>();
        for (CompletableFuture<List<Observed>> discovery : discoveries) {
            try {
                discovery.join().stream().map(Observed::deploymentId).filter(java.util.Objects::nonNull)
                        .forEach(id -> votes.merge(id, 1, Integer::sum));
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return votes;
    }

    private record StepResult(List<Change> changes, List<Leftover> leftovers, String error) {
    }

    private WalkReport walk(Operation operation, Graph graph, StackContext context, boolean reverse,
                            Function<Resource, StepResult> step) {
        long start = System.nanoTime();
        List<Resource> order = reverse ? graph.reverseOrder() : graph.order();
        Map<String, CompletableFuture<NodeOutcome>> futures = new LinkedHashMap<>();
        List<Leftover> leftovers = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Resource resource : order) {
            Collection<String> waitsFor = reverse ? graph.dependentsOf(resource.key()) : graph.dependenciesOf(resource.key());
            List<CompletableFuture<NodeOutcome>> before = waitsFor.stream().map(futures::get).toList();
            CompletableFuture<NodeOutcome> future = CompletableFuture.allOf(before.toArray(CompletableFuture[]::new))
                    .thenApplyAsync(ignored -> {
                        if (!reverse) {
                            String failed = before.stream().map(CompletableFuture::join).filter(outcome -> !outcome.ok())
                                    .map(NodeOutcome::key).findFirst().orElse(null);
                            if (failed != null) {
                                return skip(operation, resource, failed);
                            }
                        }
                        return timed(operation, resource, step, leftovers);
                    }, executor);
            futures.put(resource.key(), future);
        }
        List<NodeOutcome> nodes = futures.values().stream().map(CompletableFuture::join).toList();
        return new WalkReport(operation, context.stack(), context.deploymentId(), nodes, context.outputs(), leftovers,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private NodeOutcome skip(Operation operation, Resource resource, String failedDependency) {
        String reason = "skipped because " + failedDependency + " failed";
        listener.onEvent(new ProgressEvent(operation, resource.key(), resource.kind(), ProgressEvent.Phase.SKIPPED, Duration.ZERO, reason));
        return new NodeOutcome(resource.key(), resource.kind(), NodeOutcome.Status.SKIPPED, List.of(), Duration.ZERO, reason);
    }

    private NodeOutcome timed(Operation operation, Resource resource, Function<Resource, StepResult> step, List<Leftover> leftovers) {
        listener.onEvent(new ProgressEvent(operation, resource.key(), resource.kind(), ProgressEvent.Phase.STARTED, Duration.ZERO, ""));
        long start = System.nanoTime();
        StepResult result;
        try {
            result = step.apply(resource);
        } catch (RuntimeException e) {
            log.debug("{} {} failed", operation, resource.key(), e);
            result = new StepResult(List.of(), List.of(), describer.apply(e));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        leftovers.addAll(result.leftovers());
        boolean failed = result.error() != null;
        String detail = failed ? result.error() : summary(result.changes());
        listener.onEvent(new ProgressEvent(operation, resource.key(), resource.kind(),
                failed ? ProgressEvent.Phase.FAILED : ProgressEvent.Phase.DONE, elapsed, detail));
        return new NodeOutcome(resource.key(), resource.kind(), failed ? NodeOutcome.Status.FAILED : NodeOutcome.Status.OK,
                result.changes(), elapsed, result.error());
    }

    private StepResult reconcile(Resource resource, StackContext context, boolean apply) {
        List<Change> changes = new ArrayList<>();
        Observed current = null;
        boolean wanted = resource.wanted(context);
        for (Observed found : resource.discover(context)) {
            if (!wanted) {
                changes.add(change(resource, Action.DELETE, found.physicalId(), "no longer wanted"));
                if (apply) {
                    resource.delete(found, context);
                }
            } else if (current == null && resource.isCurrent(found, context)) {
                current = found;
            } else {
                changes.add(change(resource, Action.DELETE, found.physicalId(), "stray from deployment " + found.deploymentId()));
                if (apply) {
                    resource.delete(found, context);
                }
            }
        }
        if (!wanted) {
            return new StepResult(changes, List.of(), null);
        }
        if (current == null) {
            changes.add(change(resource, Action.CREATE, apply ? null : "(new)", "does not exist"));
            if (apply) {
                current = resource.create(context);
                changes.set(changes.size() - 1, change(resource, Action.CREATE, current.physicalId(), "did not exist"));
            }
        } else {
            Diff diff = resource.compare(current, context);
            changes.add(change(resource, diff.action(), current.physicalId(), diff.reason()));
            if (apply && diff.action() == Action.UPDATE) {
                current = resource.update(current, context);
            } else if (apply && diff.action() == Action.REPLACE) {
                resource.delete(current, context);
                current = resource.create(context);
            } else if (!apply && diff.action() == Action.REPLACE) {
                current = null;
            }
        }
        if (current != null) {
            context.publish(resource.key(), current.outputs());
        }
        return new StepResult(changes, List.of(), null);
    }

    private StepResult deleteAll(Resource resource, StackContext context) {
        List<Observed> found;
        try {
            found = resource.discover(context);
        } catch (RuntimeException e) {
            log.debug("cannot look for {}", resource.key(), e);
            String reason = "could not look for it: " + describer.apply(e);
            return new StepResult(List.of(), List.of(new Leftover(resource.key(), resource.kind(), "?", reason)), reason);
        }
        List<Change> changes = new ArrayList<>();
        List<Leftover> leftovers = new ArrayList<>();
        for (Observed observed : found) {
            try {
                resource.delete(observed, context);
                changes.add(change(resource, Action.DELETE, observed.physicalId(), ""));
            } catch (RuntimeException e) {
                log.debug("cannot delete {} {}", resource.key(), observed.physicalId(), e);
                leftovers.add(new Leftover(resource.key(), resource.kind(), observed.physicalId(), describer.apply(e)));
            }
        }
        context.forget(resource.key());
        String error = leftovers.isEmpty() ? null : leftovers.size() + " of " + found.size() + " left over: " + leftovers.get(0).reason();
        return new StepResult(changes, leftovers, error);
    }

    private static Change change(Resource resource, Action action, String physicalId, String reason) {
        return new Change(resource.key(), resource.kind(), action, physicalId, reason);
    }

    private static String summary(List<Change> changes) {
        if (changes.isEmpty()) {
            return "nothing found";
        }
        return String.join(", ", changes.stream().map(change -> change.action().name().toLowerCase()).toList());
    }

    /** One line, no stack trace: the class name only when the message says nothing. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
