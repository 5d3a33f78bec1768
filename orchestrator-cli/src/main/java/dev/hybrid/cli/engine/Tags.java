package dev.hybrid.cli.engine;

import java.util.Map;

/** The tags by which every resource finds itself; they, not the state cache, are the truth. */
public final class Tags {
    public static final String STACK = "hybrid:stack";
    public static final String DEPLOYMENT = "hybrid:deployment";
    public static final String ROLE = "hybrid:role";

    private Tags() {
    }

    public static Map<String, String> of(StackContext context, String role) {
        return Map.of(STACK, context.stack(), DEPLOYMENT, context.deploymentId(), ROLE, role);
    }

    public static boolean belongsTo(Map<String, String> tags, String stack, String role) {
        return stack.equals(tags.get(STACK)) && role.equals(tags.get(ROLE));
    }
}
