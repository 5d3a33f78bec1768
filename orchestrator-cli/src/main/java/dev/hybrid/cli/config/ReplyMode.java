package dev.hybrid.cli.config;

/** What the web tier answers to a classification request. */
public enum ReplyMode {
    /** {@code name:label} as plain text, the answer the CSE546 workload generator checks. */
    TEXT,
    /** The whole ClassifyResponse as JSON: top-5, model id, worker id and timings. */
    JSON
}
