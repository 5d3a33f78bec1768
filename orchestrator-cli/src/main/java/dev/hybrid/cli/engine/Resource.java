package dev.hybrid.cli.engine;

import java.util.List;
import java.util.Set;

/**
 * One cloud resource that knows how to find itself by tag or name, create itself, and delete
 * itself. Implementations hold the desired state; the cloud holds the observed state.
 * Every method may be called from any walker thread, never twice at once for the same resource.
 */
public interface Resource {
    /** Unique within a graph, e.g. {@code sqs:request}. */
    String key();

    /** What sort of thing this is, e.g. {@code sqs-queue}; shown in plans and progress. */
    String kind();

    /** The outputs of other resources that this one reads; each makes a dependency. */
    default Set<Ref<?>> reads() {
        return Set.of();
    }

    /**
     * Keys of the resources that must exist before this one (and be deleted after it): by default those it
     * {@linkplain #reads() reads}; a resource that needs others first without reading them adds those.
     */
    default Set<String> dependsOn() {
        return Ref.resources(reads());
    }

    /** Every instance that belongs to the stack, whatever deployment made it. Changes nothing. */
    List<Observed> discover(StackContext context);

    /**
     * Whether the stack wants this resource at all. One that is not wanted (e.g. an uploaded image when the
     * configuration now names an image already in Glance) stays in the graph so that its instances are found and
     * deleted, and nothing is created.
     */
    default boolean wanted(StackContext context) {
        return true;
    }

    /** Whether an instance is the one this deployment keeps; the others are strays to delete. */
    default boolean isCurrent(Observed observed, StackContext context) {
        return context.deploymentId().equals(observed.deploymentId());
    }

    /** Compares a current instance with the desired state. Changes nothing. */
    Diff compare(Observed observed, StackContext context);

    /** Creates the instance, tagged; returns it as it now exists. */
    Observed create(StackContext context);

    /** Repairs drift in place; only called when {@link #compare} said {@link Action#UPDATE}. */
    default Observed update(Observed observed, StackContext context) {
        throw new UnsupportedOperationException(kind() + " " + key() + " cannot be updated in place");
    }

    /** Deletes the instance and everything inside it; succeeds quietly when it is already gone. */
    void delete(Observed observed, StackContext context);
}
