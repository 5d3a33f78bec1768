package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Address;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.OutputKey;
import dev.hybrid.cli.engine.OutputValues;
import dev.hybrid.cli.engine.Ref;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import dev.hybrid.contract.Roles;
import dev.hybrid.contract.TagKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.User;

/**
 * The web tier runs outside AWS, so it authenticates as an IAM user with one access key and an
 * inline policy as narrow as the app tier's. The secret goes to {@link WebTierKeys} only; the
 * resource's outputs carry the key id, never the secret.
 */
public final class WebTierUser implements Resource {
    public static final String KEY = "iam:web-tier";
    public static final String ROLE = Roles.WEB_TIER;
    public static final String POLICY_NAME = "hybrid-web-tier";
    public static final Address<WebTierUser> ADDRESS = Address.of(WebTierUser.class, KEY);
    public static final OutputKey<WebTierUser, String> USER_NAME = OutputKey.text(WebTierUser.class, "userName");
    public static final OutputKey<WebTierUser, String> USER_ARN = OutputKey.text(WebTierUser.class, "userArn");
    /** The id of the newest access key, never the secret. */
    public static final OutputKey<WebTierUser, String> ACCESS_KEY_ID = OutputKey.text(WebTierUser.class, "accessKeyId");
    /** What the inline policy names: the web tier's queues and buckets, and the app tier's role, which it may pass. */
    private static final List<Ref<String>> POLICY_REFS = List.of(SqsQueue.at("request").get(SqsQueue.ARN),
            SqsQueue.at("response").get(SqsQueue.ARN), S3Bucket.at(AwsStack.INPUT).get(S3Bucket.NAME),
            S3Bucket.at(AwsStack.OUTPUT).get(S3Bucket.NAME), AppTierRole.ADDRESS.get(AppTierRole.ROLE_ARN));
    static final String POLICY = "policy";
    static final String ACCESS_KEYS = "accessKeys";
    /** IAM allows two keys per user; rotation needs room for the new one. */
    private static final int MAX_KEYS = 2;

    private final IamClient iam;
    private final WebTierKeys keys;
    private final Backoff propagation;
    private final boolean rotateKeys;
    /** Rotation happens once per process, however often the resource is walked. */
    private final AtomicBoolean rotated = new AtomicBoolean();

    public WebTierUser(IamClient iam, WebTierKeys keys, Backoff propagation, boolean rotateKeys) {
        this.iam = iam;
        this.keys = keys;
        this.propagation = propagation;
        this.rotateKeys = rotateKeys;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "iam-user";
    }

    @Override
    public Set<Ref<?>> reads() {
        return Set.copyOf(POLICY_REFS);
    }

    @Override
    public List<Observed> discover(StackContext context) {
        String prefix = IamNames.prefix(context, "web");
        List<Observed> found = new ArrayList<>();
        for (User listed : iam.listUsersPaginator(b -> b.pathPrefix(IamNames.path(context))).users()) {
            if (!listed.userName().startsWith(prefix)) {
                continue;
            }
            try {
                User user = iam.getUser(b -> b.userName(listed.userName())).user();
                Map<String, String> tags = IamNames.asMap(user.tags());
                if (Tags.belongsTo(tags, context.stack(), ROLE)) {
                    found.add(observe(user, tags.get(TagKeys.DEPLOYMENT)));
                }
            } catch (NoSuchEntityException e) {
                // deleted between listing and looking: nothing to manage
            }
        }
        return found;
    }

    private Observed observe(User user, String deploymentId) {
        String name = user.userName();
        Map<String, String> attributes = new HashMap<>();
        String policy;
        try {
            policy = PolicyDocuments.parse(iam.getUserPolicy(b -> b.userName(name).policyName(POLICY_NAME)).policyDocument()).toString();
        } catch (NoSuchEntityException e) {
            policy = "none";
        }
        attributes.put(POLICY, policy);
        List<AccessKeyMetadata> accessKeys = accessKeys(name);
        attributes.put(ACCESS_KEYS, String.valueOf(accessKeys.size()));
        OutputValues outputs = OutputValues.of(USER_NAME, name).and(USER_ARN, user.arn());
        if (!accessKeys.isEmpty()) {
            outputs.and(ACCESS_KEY_ID, accessKeys.get(accessKeys.size() - 1).accessKeyId());
        }
        return new Observed(name, deploymentId, attributes, outputs.toMap());
    }

    /** Oldest first. */
    private List<AccessKeyMetadata> accessKeys(String userName) {
        return iam.listAccessKeys(b -> b.userName(userName)).accessKeyMetadata().stream()
                .sorted(Comparator.comparing(AccessKeyMetadata::createDate, Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
    }

    /** Only once every queue, bucket and role it names exists. */
    String desiredPolicy(StackContext context) {
        List<String> values = POLICY_REFS.stream().map(context::require).toList();
        return PolicyDocuments.webTier(context.stack(), values.get(0), values.get(1), values.get(2), values.get(3), values.get(4));
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        List<String> drift = new ArrayList<>();
        String policy = observed.attributes().get(POLICY);
        List<Ref<?>> unknown = context.unknown(POLICY_REFS);
        if (!unknown.isEmpty()) {
            drift.add("inline policy: " + Ref.knownAfterApply(unknown));
        } else if (!PolicyDocuments.same(desiredPolicy(context), "none".equals(policy) ? null : policy)) {
            drift.add("inline policy differs");
        }
        if ("0".equals(observed.attributes().get(ACCESS_KEYS))) {
            drift.add("no access key");
        } else if (rotateKeys && !rotated.get()) {
            drift.add("access key rotation requested");
        }
        return drift.isEmpty() ? Diff.keep() : Diff.update(String.join("; ", drift));
    }

    @Override
    public Observed create(StackContext context) {
        String name = IamNames.name(context, "web");
        try {
            iam.createUser(b -> b.userName(name).path(IamNames.path(context)).tags(IamNames.tags(context, ROLE)));
        } catch (EntityAlreadyExistsException e) {
            // an interrupted earlier up made it: finish it below like a new one
        }
        putPolicy(name, context);
        if (accessKeys(name).isEmpty()) {
            newKey(name);
        }
        return observe(iam.getUser(b -> b.userName(name)).user(), context.deploymentId());
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        String name = observed.physicalId();
        String policy = observed.attributes().get(POLICY);
        if (!PolicyDocuments.same(desiredPolicy(context), "none".equals(policy) ? null : policy)) {
            putPolicy(name, context);
        }
        List<AccessKeyMetadata> old = accessKeys(name);
        if (old.isEmpty() || (rotateKeys && rotated.compareAndSet(false, true))) {
            if (old.size() >= MAX_KEYS) {
                deleteKey(name, old.get(0).accessKeyId());
                old = old.subList(1, old.size());
            }
            newKey(name);
            // The old keys go as soon as the new one exists: a rotation that left them would rotate nothing.
            old.forEach(key -> deleteKey(name, key.accessKeyId()));
        }
        return observe(iam.getUser(b -> b.userName(name)).user(), observed.deploymentId());
    }

    private void putPolicy(String name, StackContext context) {
        String policy = desiredPolicy(context);
        propagation.run("inline policy of user " + name, AwsErrors::isNotYetVisible,
                () -> iam.putUserPolicy(b -> b.userName(name).policyName(POLICY_NAME).policyDocument(policy)));
    }

    private void newKey(String name) {
        AccessKey key = propagation.call("access key of user " + name, AwsErrors::isNotYetVisible,
                () -> iam.createAccessKey(b -> b.userName(name)).accessKey());
        keys.deliver(new WebTierCredentials(key.accessKeyId(), key.secretAccessKey()));
    }

    private void deleteKey(String userName, String accessKeyId) {
        try {
            iam.deleteAccessKey(b -> b.userName(userName).accessKeyId(accessKeyId));
        } catch (NoSuchEntityException e) {
            // already gone
        }
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        String name = observed.physicalId();
        try {
            accessKeys(name).forEach(key -> deleteKey(name, key.accessKeyId()));
            for (String policy : iam.listUserPolicies(b -> b.userName(name)).policyNames()) {
                iam.deleteUserPolicy(b -> b.userName(name).policyName(policy));
            }
            iam.listAttachedUserPolicies(b -> b.userName(name)).attachedPolicies()
                    .forEach(policy -> iam.detachUserPolicy(b -> b.userName(name).policyArn(policy.policyArn())));
            iam.deleteUser(b -> b.userName(name));
        } catch (NoSuchEntityException e) {
            // already gone: the goal of a delete
        }
    }
}
