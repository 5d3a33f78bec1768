package dev.hybrid.cli.aws;

/**
 * The tiers' IAM policies exactly as {@code WebTierUser} and {@code AppTierRole} put them
 * ({@link PolicyDocuments}), and the names the stack's buckets and artifacts get, for tests in other
 * modules that run the tiers' code with credentials bound by them.
 */
public final class GeneratedPolicies {
    /** Where the image builders fetch the app tier's jar from, in the artifacts bucket. */
    public static final String APP_JAR_PREFIX = AppImage.JAR_PREFIX;

    private GeneratedPolicies() {
    }

    public static String webTier(String stack, String requestQueueArn, String responseQueueArn, String inputBucket, String outputBucket,
                                 String appRoleArn) {
        return PolicyDocuments.webTier(stack, requestQueueArn, responseQueueArn, inputBucket, outputBucket, appRoleArn);
    }

    public static String appTier(String requestQueueArn, String responseQueueArn, String inputBucket, String outputBucket, String artifactsBucket) {
        return PolicyDocuments.appTier(requestQueueArn, responseQueueArn, inputBucket, outputBucket, artifactsBucket);
    }

    public static String bucket(String stack, String role, String accountId, String region) {
        return BucketNames.of(stack, role, accountId, region);
    }
}
