package dev.hybrid.cli.aws;

/**
 * What the app-tier workers run on.
 *
 * @param imageId                  an app-tier AMI given by the user, or null for the one the stack bakes ({@link AppImage})
 * @param instanceType             e.g. {@code t3.medium}
 * @param visibilityTimeoutSeconds the request queue's, passed to the worker so it need not ask SQS
 */
public record LaunchTemplateSpec(String imageId, String instanceType, int visibilityTimeoutSeconds) {
    public LaunchTemplateSpec {
        if (imageId != null && !imageId.startsWith("ami-")) {
            throw new IllegalArgumentException("the app-tier image must be an AMI id like ami-0123456789abcdef0, not " + imageId);
        }
        if (instanceType == null || instanceType.isBlank()) {
            throw new IllegalArgumentException("an instance type is needed, e.g. t3.medium");
        }
    }

    /** Whether the stack bakes the image itself. */
    public boolean baked() {
        return imageId == null;
    }
}
