package dev.hybrid.cli.config;

/** What the web tier answers to a plain upload; a request may still ask for JSON with ?reply=json. */
public enum ReplyMode {
    /** The top-1 label as plain text, e.g. {@code bathtub}. */
    LABEL,
    /** {@code name:label} as plain text, e.g. {@code test_0:bathtub}, the answer the CSE 546 workload generator checks. */
    NAME_LABEL;

    /** The spelling used in hybrid.yaml and on the web tier's command line. */
    public String option() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
