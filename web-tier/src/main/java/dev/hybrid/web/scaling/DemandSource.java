package dev.hybrid.web.scaling;

/** What the HTTP front end knows about demand that SQS cannot see yet. */
@FunctionalInterface
public interface DemandSource {
    /** HTTP requests accepted but not yet answered (whether or not they have reached the queue yet). */
    int pendingHttp();
}
