package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import dev.hybrid.contract.TagKeys;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** EC2's spelling of the stack's tags: tag specifications to create with, filters to find by. */
final class Ec2Tags {
    private Ec2Tags() {
    }

    static List<Tag> of(StackContext context, String role) {
        return Tags.of(context, role).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    static TagSpecification on(ResourceType type, StackContext context, String role) {
        return TagSpecification.builder().resourceType(type).tags(of(context, role)).build();
    }

    /** Filters for everything of these roles (any one of them) in the stack, whichever deployment made it. */
    static List<Filter> filters(StackContext context, String... roles) {
        return List.of(Filter.builder().name(TagKeys.ec2Filter(TagKeys.STACK)).values(context.stack()).build(),
                Filter.builder().name(TagKeys.ec2Filter(TagKeys.ROLE)).values(roles).build());
    }

    static Map<String, String> asMap(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }
}
