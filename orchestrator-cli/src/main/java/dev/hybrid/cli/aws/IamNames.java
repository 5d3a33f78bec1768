package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * IAM names and paths of a stack. Every IAM entity of stack {@code s} lives under the path
 * {@code /hybrid/s/}, so ListRoles and ListUsers with that prefix find the stack's entities
 * without paging through the whole account; the tags then tell whose they are.
 */
final class IamNames {
    /** IAM's limit for role, user and instance profile names. */
    static final int MAX_NAME_LENGTH = 64;

    private IamNames() {
    }

    static String path(StackContext context) {
        return "/hybrid/" + context.stack() + "/";
    }

    static String prefix(StackContext context, String role) {
        return "hybrid-" + context.stack() + "-" + role + "-";
    }

    static String name(StackContext context, String role) {
        String name = prefix(context, role) + context.deploymentId();
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("stack name " + context.stack() + " is too long for IAM (" + name.length()
                    + " characters in " + name + ", at most " + MAX_NAME_LENGTH + "); choose a shorter --stack");
        }
        return name;
    }

    static List<Tag> tags(StackContext context, String role) {
        return Tags.of(context, role).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    static Map<String, String> asMap(List<Tag> tags) {
        return tags.stream().collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }
}
