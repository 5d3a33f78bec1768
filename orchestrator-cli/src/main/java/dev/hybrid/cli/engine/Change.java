package dev.hybrid.cli.engine;

/** One planned or applied action on one resource instance. */
public record Change(String key, String kind, Action action, String physicalId, String reason) {
}
