package dev.hybrid.cli.config;

import java.util.regex.Pattern;

/**
 * The one rule for a stack's name, wherever it is given (--stack or hybrid.yaml): it becomes part of queue, bucket,
 * role and server names, whose lengths leave room for 20 characters beside the per-deployment suffix.
 */
public final class StackName {
    public static final int MAX_LENGTH = 20;
    /** The name when --stack is not given (HybridMain's default for the option). */
    public static final String DEFAULT = "hybrid";
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{0," + (MAX_LENGTH - 2) + "}[a-z0-9]|[a-z]");

    private StackName() {
    }

    public static boolean valid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** What a valid name looks like, for messages. */
    public static final String RULE = "use 1 to " + MAX_LENGTH + " lower-case letters, digits and dashes, starting with a letter "
            + "and not ending with a dash";
}
