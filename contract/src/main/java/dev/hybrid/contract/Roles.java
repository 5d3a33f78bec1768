package dev.hybrid.contract;

/**
 * The values of the {@link TagKeys#ROLE} tag: what a resource is in its stack. {@link #APP_WORKER} is
 * shared by two tiers (the orchestrator tags workers with it through the launch template, terminates
 * them by it, and the web tier's autoscaler counts and launches them by it); the others are written and
 * read by the orchestrator alone, and are here so that every name on the clouds is spelled once.
 */
public final class Roles {
    // --- AWS (app tier and the web tier's access)

    /** An app-tier worker instance. */
    public static final String APP_WORKER = "app-worker";
    /** The launch template of the workers. */
    public static final String APP_TEMPLATE = "app-template";
    /** The workers' security group. */
    public static final String APP_SECURITY_GROUP = "app-sg";
    /** The app-tier AMI. */
    public static final String APP_IMAGE = "app-image";
    /** The instance that bakes the app-tier AMI. */
    public static final String APP_IMAGE_BUILDER = "app-image-builder";
    /** The request queue. */
    public static final String REQUEST_QUEUE = "request";
    /** The response queue. */
    public static final String RESPONSE_QUEUE = "response";
    /** The request queue's dead-letter queue. */
    public static final String DEAD_LETTER_QUEUE = "dlq";
    /** The bucket of the uploaded images and claim checks. */
    public static final String INPUT_BUCKET = "input";
    /** The bucket of the labels and the result cache. */
    public static final String OUTPUT_BUCKET = "output";
    /** The bucket the orchestrator stages jars in for the image builders. */
    public static final String ARTIFACTS_BUCKET = "artifacts";
    /** The workers' IAM role and instance profile. */
    public static final String APP_TIER = "app-tier";
    /** The web tier's IAM user. */
    public static final String WEB_TIER = "web-tier";
    /** The exported web-tier image (on AWS: the AMI and its export task; on OpenStack: the Glance image). */
    public static final String WEB_IMAGE = "web-image";
    /** The instance that bakes the web-tier image on AWS before the export. */
    public static final String WEB_IMAGE_BUILDER = "web-image-builder";

    // --- OpenStack (web tier)

    /** The web tier's server. */
    public static final String WEB_SERVER = "web-server";
    /** The web server's security group. */
    public static final String WEB_SECURITY_GROUP = "web-security-group";
    /** The web server's floating IP. */
    public static final String WEB_FLOATING_IP = "web-floating-ip";

    private Roles() {}
}
