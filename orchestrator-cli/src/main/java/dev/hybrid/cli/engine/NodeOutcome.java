package dev.hybrid.cli.engine;

import java.time.Duration;
import java.util.List;

/** How one resource fared in a walk. {@code error} is null unless the status is FAILED or SKIPPED. */
public record NodeOutcome(String key, String kind, Status status, List<Change> changes, Duration elapsed, String error) {
    public enum Status { OK, FAILED, SKIPPED }

    public NodeOutcome {
        changes = List.copyOf(changes);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
