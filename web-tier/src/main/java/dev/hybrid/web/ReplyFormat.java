package dev.hybrid.web;

import dev.hybrid.contract.S3Layout;
import java.util.Locale;

/** How a successful classification is answered when the client does not ask for JSON. */
enum ReplyFormat {
    /** {@code bathtub} */
    LABEL,
    /** {@code test_0:bathtub}, what the CSE 546 workload generator checks. */
    NAME_LABEL,
    JSON;

    static ReplyFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reply must be label, name-label or json, not '" + text + "'");
        }
    }

    String plain(String fileName, String label) {
        return this == NAME_LABEL ? S3Layout.stem(fileName) + ":" + label : label;
    }
}
