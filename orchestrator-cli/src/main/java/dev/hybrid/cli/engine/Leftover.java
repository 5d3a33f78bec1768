package dev.hybrid.cli.engine;

/** A resource instance that teardown could not remove (or could not even look for). */
public record Leftover(String key, String kind, String physicalId, String reason) {
}
