package dev.hybrid.cli.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads one mapping of hybrid.yaml with typed getters; unknown keys and wrong types are reported with their origin. */
final class SectionReader {
    private final String path;
    private final ConfigValue section;

    private SectionReader(String path, ConfigValue section) {
        this.path = path;
        this.section = section;
    }

    static SectionReader root(ConfigValue document, String... knownKeys) {
        return new SectionReader("", document).allowOnly(knownKeys);
    }

    /** A nested mapping; absent or empty means every key takes its default. */
    SectionReader section(String key, String... knownKeys) {
        ConfigValue value = section.get(key);
        String childPath = qualified(key);
        if (value == null || value.raw() == null) {
            return new SectionReader(childPath, ConfigValue.emptyMap(section.origin()));
        }
        if (!value.isMap()) {
            throw new ConfigFileException(value.origin() + ": " + childPath + " must be a mapping with keys " + String.join(", ", knownKeys));
        }
        return new SectionReader(childPath, value).allowOnly(knownKeys);
    }

    private SectionReader allowOnly(String... knownKeys) {
        List<String> known = Arrays.asList(knownKeys);
        for (Map.Entry<String, ConfigValue> entry : section.map().entrySet()) {
            if (!known.contains(entry.getKey())) {
                String where = path.isEmpty() ? "at the top level" : "in " + path;
                throw new ConfigFileException(entry.getValue().origin() + ": unknown key '" + entry.getKey() + "' " + where
                        + "; known keys: " + String.join(", ", known));
            }
        }
        return this;
    }

    /** The text of a scalar, or {@code fallback} when absent or empty. */
    String string(String key, String fallback) {
        ConfigValue value = section.get(key);
        if (value == null || value.raw() == null) {
            return fallback;
        }
        if (!value.isScalar()) {
            throw new ConfigFileException(value.origin() + ": " + qualified(key) + " must be a single value, not a list or mapping");
        }
        String text = value.text().trim();
        return text.isEmpty() ? fallback : text;
    }

    int integer(String key, int fallback, int min, int max) {
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        int number;
        try {
            number = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigFileException(origin(key) + ": " + qualified(key) + " must be a whole number, got '" + text + "'");
        }
        if (number < min || number > max) {
            throw new ConfigFileException(origin(key) + ": " + qualified(key) + " must be between " + min + " and " + max + ", got " + number);
        }
        return number;
    }

    <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new ConfigFileException(origin(key) + ": " + qualified(key) + " must be one of " + String.join(", ", names) + ", got '" + text + "'");
        }
    }

    String oneOf(String key, String fallback, List<String> allowed) {
        String text = string(key, fallback);
        if (text != null && !allowed.contains(text)) {
            throw new ConfigFileException(origin(key) + ": " + qualified(key) + " must be one of " + String.join(", ", allowed) + ", got '" + text + "'");
        }
        return text;
    }

    String origin(String key) {
        ConfigValue value = section.get(key);
        return value == null ? section.origin() : value.origin();
    }

    String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
