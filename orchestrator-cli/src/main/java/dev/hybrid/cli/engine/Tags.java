package dev.hybrid.cli.engine;

import dev.hybrid.contract.TagKeys;
import java.util.Map;

/** The tags by which every resource finds itself (their keys are {@link TagKeys}); they, not the state cache, are the truth. */
public final class Tags {
    private Tags() {
    }

    public static Map<String, String> of(StackContext context, String role) {
        return Map.of(TagKeys.STACK, context.stack(), TagKeys.DEPLOYMENT, context.deploymentId(), TagKeys.ROLE, role);
    }

    public static boolean belongsTo(Map<String, String> tags, String stack, String role) {
        return stack.equals(tags.get(TagKeys.STACK)) && role.equals(tags.get(TagKeys.ROLE));
    }
}
