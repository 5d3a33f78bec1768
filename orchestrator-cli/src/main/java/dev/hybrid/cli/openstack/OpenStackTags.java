package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import dev.hybrid.contract.TagKeys;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nova, Neutron and Glance tags are plain strings, so the engine's key/value tags travel as {@code key=value}.
 * Lists are filtered by the stack tag on the server side ({@code ?tags=} / {@code ?tag=}).
 */
final class OpenStackTags {
    private OpenStackTags() {
    }

    static List<String> of(StackContext context, String role) {
        return Tags.of(context, role).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }

    static String stackTag(StackContext context) {
        return TagKeys.STACK + "=" + context.stack();
    }

    static String stackFilter(StackContext context) {
        return URLEncoder.encode(stackTag(context), StandardCharsets.UTF_8);
    }

    /** The key/value tags of a JSON array of {@code key=value} strings; other tags are ignored. */
    static Map<String, String> parse(JsonNode tags) {
        Map<String, String> parsed = new HashMap<>();
        for (JsonNode tag : tags) {
            String text = tag.asText();
            int equals = text.indexOf('=');
            if (equals > 0) {
                parsed.put(text.substring(0, equals), text.substring(equals + 1));
            }
        }
        return parsed;
    }

    static boolean belongsTo(JsonNode tags, StackContext context, String role) {
        return Tags.belongsTo(parse(tags), context.stack(), role);
    }

    static String deployment(JsonNode tags) {
        return parse(tags).get(TagKeys.DEPLOYMENT);
    }
}
