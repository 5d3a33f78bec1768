package dev.hybrid.cli.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a resource's outputs through its typed keys, for {@link Observed#outputs()}. */
public final class OutputValues {
    private final Map<String, String> values = new LinkedHashMap<>();

    private OutputValues() {
    }

    public static <T> OutputValues of(OutputKey<?, T> key, T value) {
        return new OutputValues().and(key, value);
    }

    public <T> OutputValues and(OutputKey<?, T> key, T value) {
        values.put(key.name(), key.format(value));
        return this;
    }

    public Map<String, String> toMap() {
        return Map.copyOf(values);
    }
}
