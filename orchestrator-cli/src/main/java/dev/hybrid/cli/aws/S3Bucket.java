package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import dev.hybrid.contract.TagKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * An S3 bucket whose name derives from stack, account and region, so it is found by name; its
 * tags tell whose it is. Created private (Block Public Access) and encrypted (SSE-S3).
 */
public final class S3Bucket implements Resource {
    public static final String OUTPUT_NAME = "name";
    static final String TAGS = "tags";
    static final String PUBLIC_ACCESS = "publicAccessBlock";
    static final String ENCRYPTION = "encryption";
    static final String UNSUPPORTED = "unsupported-by-emulator";
    private static final String ALL_BLOCKED = "all-blocked";

    private static final Logger log = LoggerFactory.getLogger(S3Bucket.class);
    private static final int CREATE_ATTEMPTS = 12;
    private static final int CREATE_RETRY_SECONDS = 5;

    private final AwsClients aws;
    private final String role;

    public S3Bucket(AwsClients aws, String role) {
        this.aws = aws;
        this.role = role;
    }

    public static String keyFor(String role) {
        return "s3:" + role;
    }

    @Override
    public String key() {
        return keyFor(role);
    }

    @Override
    public String kind() {
        return "s3-bucket";
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of();
    }

    public String nameFor(StackContext context) {
        return BucketNames.of(context.stack(), role, aws.accountId(), aws.target().region().id());
    }

    private S3Client s3() {
        return aws.s3();
    }

    @Override
    public List<Observed> discover(StackContext context) {
        String bucket = nameFor(context);
        try {
            s3().headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            return List.of();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return List.of();
            }
            if (e.statusCode() == 403 || e.statusCode() == 301) {
                throw new IllegalStateException("bucket " + bucket + " exists but not in this account and region ("
                        + e.statusCode() + "); choose another --stack name");
            }
            throw e;
        }
        Map<String, String> tags = readTags(bucket);
        if (tags != null && !tags.isEmpty() && !Tags.belongsTo(tags, context.stack(), role)) {
            throw new IllegalStateException("bucket " + bucket + " is tagged for another stack or role " + tags + "; not touching it");
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(TAGS, tags == null ? UNSUPPORTED : new TreeMap<>(tags).toString());
        attributes.put(PUBLIC_ACCESS, readPublicAccess(bucket));
        attributes.put(ENCRYPTION, readEncryption(bucket));
        return List.of(new Observed(bucket, tags == null ? null : tags.get(TagKeys.DEPLOYMENT), attributes, Map.of(OUTPUT_NAME, bucket)));
    }

    /** The name is the stack's, so whichever deployment made the bucket, it is the current one. */
    @Override
    public boolean isCurrent(Observed observed, StackContext context) {
        return true;
    }

    private Map<String, String> readTags(String bucket) {
        try {
            return EmulatorGaps.call(aws.target(), "GetBucketTagging", () -> {
                Map<String, String> tags = new HashMap<>();
                s3().getBucketTagging(b -> b.bucket(bucket)).tagSet().forEach(tag -> tags.put(tag.key(), tag.value()));
                return tags;
            }).orElse(null);
        } catch (S3Exception e) {
            if ("NoSuchTagSet".equals(e.awsErrorDetails().errorCode()) || e.statusCode() == 404) {
                return Map.of();
            }
            throw e;
        }
    }

    private String readPublicAccess(String bucket) {
        try {
            return EmulatorGaps.call(aws.target(), "GetPublicAccessBlock", () -> {
                var config = s3().getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration();
                boolean all = Boolean.TRUE.equals(config.blockPublicAcls()) && Boolean.TRUE.equals(config.ignorePublicAcls())
                        && Boolean.TRUE.equals(config.blockPublicPolicy()) && Boolean.TRUE.equals(config.restrictPublicBuckets());
                return all ? ALL_BLOCKED : "partly-open";
            }).orElse(UNSUPPORTED);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return "none";
            }
            throw e;
        }
    }

    private String readEncryption(String bucket) {
        try {
            return EmulatorGaps.call(aws.target(), "GetBucketEncryption", () -> s3().getBucketEncryption(b -> b.bucket(bucket))
                    .serverSideEncryptionConfiguration().rules().stream()
                    .map(rule -> String.valueOf(rule.applyServerSideEncryptionByDefault().sseAlgorithmAsString()))
                    .findFirst().orElse("none")).orElse(UNSUPPORTED);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return "none";
            }
            throw e;
        }
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        List<String> drift = new ArrayList<>();
        String tags = observed.attributes().get(TAGS);
        if (!UNSUPPORTED.equals(tags) && !tags.equals(new TreeMap<>(Tags.of(context, role)).toString())) {
            drift.add("tags " + tags);
        }
        String publicAccess = observed.attributes().get(PUBLIC_ACCESS);
        if (!UNSUPPORTED.equals(publicAccess) && !ALL_BLOCKED.equals(publicAccess)) {
            drift.add("public access block " + publicAccess);
        }
        String encryption = observed.attributes().get(ENCRYPTION);
        // Any default encryption is acceptable (a user may choose KMS); only none is drift.
        if (!UNSUPPORTED.equals(encryption) && "none".equals(encryption)) {
            drift.add("no default encryption");
        }
        return drift.isEmpty() ? Diff.keep() : Diff.update(String.join("; ", drift));
    }

    @Override
    public Observed create(StackContext context) {
        String bucket = nameFor(context);
        String region = aws.target().region().id();
        for (int attempt = 1; ; attempt++) {
            try {
                s3().createBucket(b -> {
                    b.bucket(bucket);
                    if (!"us-east-1".equals(region) && !aws.target().local()) {
                        b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
                    }
                });
                break;
            } catch (BucketAlreadyOwnedByYouException e) {
                break; // an interrupted earlier up made it: configure it below like a new one
            } catch (S3Exception e) {
                // Right after a teardown S3 may still be deleting the old bucket of the same name.
                if (!"OperationAborted".equals(e.awsErrorDetails().errorCode()) || attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
                log.info("bucket {} is still being deleted by S3; retrying in {} s", bucket, CREATE_RETRY_SECONDS);
                sleep(CREATE_RETRY_SECONDS);
            }
        }
        configure(bucket, context);
        return discover(context).get(0);
    }

    private static void sleep(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for S3", e);
        }
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        configure(observed.physicalId(), context);
        return discover(context).get(0);
    }

    private void configure(String bucket, StackContext context) {
        AwsTarget target = aws.target();
        EmulatorGaps.run(target, "PutPublicAccessBlock", () -> s3().putPublicAccessBlock(b -> b.bucket(bucket)
                .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true).ignorePublicAcls(true)
                        .blockPublicPolicy(true).restrictPublicBuckets(true))));
        if (!"aws:kms".equals(readEncryption(bucket))) {
            EmulatorGaps.run(target, "PutBucketEncryption", () -> s3().putBucketEncryption(b -> b.bucket(bucket)
                    .serverSideEncryptionConfiguration(c -> c.rules(r -> r.applyServerSideEncryptionByDefault(
                            d -> d.sseAlgorithm(ServerSideEncryption.AES256))))));
        }
        List<Tag> tags = Tags.of(context, role).entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        EmulatorGaps.run(target, "PutBucketTagging", () -> s3().putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(tags))));
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        String bucket = observed.physicalId();
        try {
            new BucketEmptier(s3(), aws.target()).empty(bucket);
            s3().deleteBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            // already gone: the goal of a delete
        }
    }
}
