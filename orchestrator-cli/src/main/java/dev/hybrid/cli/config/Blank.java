package dev.hybrid.cli.config;

/** Settings that may be missing, empty or only spaces, which all mean "not set". */
public final class Blank {
    private Blank() {
    }

    /** The trimmed value, or null when it is null or blank. */
    public static String toNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The first value that is set, trimmed; null when none is. */
    public static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
