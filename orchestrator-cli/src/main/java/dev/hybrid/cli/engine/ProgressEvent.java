package dev.hybrid.cli.engine;

import java.time.Duration;

/** A resource started, finished, failed or was skipped; {@code elapsed} is zero when it started. */
public record ProgressEvent(Operation operation, String key, String kind, Phase phase, Duration elapsed, String detail) {
    public enum Phase { STARTED, DONE, FAILED, SKIPPED }
}
