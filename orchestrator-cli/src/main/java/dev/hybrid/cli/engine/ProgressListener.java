package dev.hybrid.cli.engine;

/** Receives progress from walker threads; implementations must be thread-safe. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = event -> { };

    void onEvent(ProgressEvent event);
}
