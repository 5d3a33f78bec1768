package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Address;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.OutputKey;
import dev.hybrid.cli.engine.OutputValues;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import dev.hybrid.cli.engine.Waiter;
import java.time.Duration;
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
    public static final OutputKey<S3Bucket, String> NAME = OutputKey.text(S3Bucket.class, "name");
    static final String TAGS = "tags";
    static final String PUBLIC_ACCESS = "publicAccessBlock";
    static final String ENCRYPTION = "encryption";
    static final String UNSUPPORTED = "unsupported-by-emulator";
    private static final String ALL_BLOCKED = "all-blocked";

    private static final Logger log = LoggerFactory.getLogger(S3Bucket.class);
    /** How long S3 may still be deleting a bucket of the same name, right after a teardown; and how often to try again. */
    static final Duration OLD_BUCKET_GONE_TIMEOUT = Duration.ofMinutes(1);
    static final Duration CREATE_RETRY = Duration.ofSeconds(5);
    private static final String CREATED = "created";
    private static final String OLD_ONE_BEING_DELETED = "old bucket still being deleted";

    private final AwsClients aws;
    private final String role;
    private final Waiter waiter;

    public S3Bucket(AwsClients aws, String role) {
        this(aws, role, Waiter.system(ProgressBars.NONE));
    }

    public S3Bucket(AwsClients aws, String role, Waiter waiter) {
        this.aws = aws;
        this.role = role;
        this.waiter = waiter;
    }

    public static String keyFor(String role) {
        return "s3:" + role;
    }

    /** The bucket of {@code role} in a stack's graph. */
    public static Address<S3Bucket> at(String role) {
        return Address.of(S3Bucket.class, keyFor(role));
    }

    @Override
    public String key() {
        return keyFor(role);
    }

    @Override
    public String kind() {
        return "s3-bucket";
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
        return List.of(new Observed(bucket, tags == null ? null : tags.get(TagKeys.DEPLOYMENT), attributes, OutputValues.of(NAME, bucket).toMap()));
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
        // Right after a teardown S3 may still be deleting the old bucket of the same name: it answers OperationAborted.
        waiter.until("bucket " + bucket, () -> Waiter.Observation.of(bucket, tryCreate(bucket)))
                .pending(OLD_ONE_BEING_DELETED).target(CREATED)
                .pollEvery(CREATE_RETRY).timeout(OLD_BUCKET_GONE_TIMEOUT)
                .await();
        configure(bucket, context);
        return discover(context).get(0);
    }

    private String tryCreate(String bucket) {
        String region = aws.target().region().id();
        try {
            s3().createBucket(b -> {
                b.bucket(bucket);
                if (!"us-east-1".equals(region) && !aws.target().local()) {
                    b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
                }
            });
        } catch (BucketAlreadyOwnedByYouException e) {
            // an interrupted earlier up made it: configure it like a new one
        } catch (S3Exception e) {
            if (!"OperationAborted".equals(AwsErrors.code(e))) {
                throw e;
            }
            log.info("bucket {} is still being deleted by S3", bucket);
            return OLD_ONE_BEING_DELETED;
        }
        return CREATED;
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
