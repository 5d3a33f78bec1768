package dev.hybrid.contract;

/**
 * The keys of the tags every cloud resource of a stack carries. The tags, not the orchestrator's state
 * cache, are the truth: {@code hybrid teardown} finds what to delete by them, and the web tier's
 * autoscaler counts and launches workers by {@link #STACK} and {@link #ROLE} = {@link Roles#APP_WORKER}.
 */
public final class TagKeys {
    /** The stack's name; one account can hold several stacks. */
    public static final String STACK = "hybrid:stack";
    /** The id of the {@code hybrid up} that made the resource. */
    public static final String DEPLOYMENT = "hybrid:deployment";
    /** What the resource is in the stack: one of {@link Roles}. */
    public static final String ROLE = "hybrid:role";
    /** On an app-tier image: the hash of what it was baked from (jar, recipe, model). */
    public static final String CONTENT_HASH = "hybrid:content-hash";
    /** On the web server: the hash of the settings it was booted with. */
    public static final String SETTINGS = "hybrid:settings";
    /** EC2's filter name for a tag key: {@code tag:<key>}. */
    private static final String EC2_FILTER_PREFIX = "tag:";

    private TagKeys() {}

    /** The name of an EC2 filter on this tag key, e.g. {@code tag:hybrid:stack}. */
    public static String ec2Filter(String key) {
        return EC2_FILTER_PREFIX + key;
    }
}
