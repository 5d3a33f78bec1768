package dev.hybrid.cli.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a YAML document (or of an override) that remembers where it came from, so that
 * every complaint about it can point at a file, line and column.
 *
 * @param raw    a {@code Map<String, ConfigValue>}, a {@code List<ConfigValue>}, a scalar {@code String}, or null
 * @param origin where the value was written, e.g. {@code /home/me/clouds.yaml:12:7} or {@code environment variable OS_AUTH_URL}
 */
public record ConfigValue(Object raw, String origin) {

    public static ConfigValue scalar(String value, String origin) {
        return new ConfigValue(value, origin);
    }

    public boolean isMap() {
        return raw instanceof Map;
    }

    public boolean isScalar() {
        return raw == null || raw instanceof String;
    }

    @SuppressWarnings("unchecked")
    public Map<String, ConfigValue> map() {
        return isMap() ? Collections.unmodifiableMap((Map<String, ConfigValue>) raw) : Map.of();
    }

    @SuppressWarnings("unchecked")
    public List<ConfigValue> list() {
        return raw instanceof List ? (List<ConfigValue>) raw : List.of();
    }

    /** The scalar text, or null for an empty value or a non-scalar. */
    public String text() {
        return raw instanceof String s ? s : null;
    }

    public ConfigValue get(String key) {
        return map().get(key);
    }

    /** Deep merge as openstacksdk does for secure.yaml: maps merge key by key, anything else is replaced by {@code over}. */
    public static ConfigValue merge(ConfigValue base, ConfigValue over) {
        if (base == null) {
            return over;
        }
        if (over == null) {
            return base;
        }
        if (!base.isMap() || !over.isMap()) {
            return over;
        }
        Map<String, ConfigValue> merged = new LinkedHashMap<>(base.map());
        over.map().forEach((key, value) -> merged.put(key, merge(merged.get(key), value)));
        return new ConfigValue(merged, base.origin());
    }

    /** A copy of this map with one entry replaced or added. */
    public ConfigValue with(String key, ConfigValue value) {
        Map<String, ConfigValue> copy = new LinkedHashMap<>(map());
        copy.put(key, value);
        return new ConfigValue(copy, origin);
    }

    /** A copy of this map without one entry. */
    public ConfigValue without(String key) {
        Map<String, ConfigValue> copy = new LinkedHashMap<>(map());
        copy.remove(key);
        return new ConfigValue(copy, origin);
    }

    public static ConfigValue emptyMap(String origin) {
        return new ConfigValue(new LinkedHashMap<String, ConfigValue>(), origin);
    }

    @Override
    public String toString() {
        // Values may be secrets: only the shape and the origin are printed.
        String shape = isMap() ? "map" + map().keySet() : raw instanceof List<?> l ? "list[" + l.size() + "]" : "scalar";
        return "ConfigValue[" + shape + " at " + origin + "]";
    }
}
