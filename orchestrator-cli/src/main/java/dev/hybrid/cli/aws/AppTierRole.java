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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * The app tier's IAM role and its instance profile, of the same name. The role's one inline
 * policy grants the worker exactly its calls on the stack's queues and buckets; only EC2 may
 * assume it. The two are one resource because neither is of use without the other.
 */
public final class AppTierRole implements Resource {
    public static final String KEY = "iam:app-tier";
    public static final String ROLE = Roles.APP_TIER;
    public static final String POLICY_NAME = "hybrid-app-tier";
    public static final Address<AppTierRole> ADDRESS = Address.of(AppTierRole.class, KEY);
    public static final OutputKey<AppTierRole, String> ROLE_NAME = OutputKey.text(AppTierRole.class, "roleName");
    public static final OutputKey<AppTierRole, String> ROLE_ARN = OutputKey.text(AppTierRole.class, "roleArn");
    public static final OutputKey<AppTierRole, String> PROFILE_NAME = OutputKey.text(AppTierRole.class, "instanceProfileName");
    public static final OutputKey<AppTierRole, String> PROFILE_ARN = OutputKey.text(AppTierRole.class, "instanceProfileArn");
    /** What the inline policy names: the stack's queues and buckets. */
    private static final List<Ref<String>> POLICY_REFS = List.of(SqsQueue.at("request").get(SqsQueue.ARN),
            SqsQueue.at("response").get(SqsQueue.ARN), S3Bucket.at(AwsStack.INPUT).get(S3Bucket.NAME),
            S3Bucket.at(AwsStack.OUTPUT).get(S3Bucket.NAME), S3Bucket.at(AwsStack.ARTIFACTS).get(S3Bucket.NAME));
    static final String POLICY = "policy";
    static final String TRUST = "trust";
    static final String PROFILE = "instanceProfile";

    private final IamClient iam;
    private final Backoff propagation;

    public AppTierRole(IamClient iam, Backoff propagation) {
        this.iam = iam;
        this.propagation = propagation;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "iam-role";
    }

    @Override
    public Set<Ref<?>> reads() {
        return Set.copyOf(POLICY_REFS);
    }

    @Override
    public List<Observed> discover(StackContext context) {
        String prefix = IamNames.prefix(context, "app");
        List<Observed> found = new ArrayList<>();
        for (Role listed : iam.listRolesPaginator(b -> b.pathPrefix(IamNames.path(context))).roles()) {
            if (!listed.roleName().startsWith(prefix)) {
                continue;
            }
            try {
                // ListRoles leaves the tags out; GetRole has them.
                Role role = iam.getRole(b -> b.roleName(listed.roleName())).role();
                Map<String, String> tags = IamNames.asMap(role.tags());
                if (Tags.belongsTo(tags, context.stack(), ROLE)) {
                    found.add(observe(role, tags.get(TagKeys.DEPLOYMENT)));
                }
            } catch (NoSuchEntityException e) {
                // deleted between listing and looking: nothing to manage
            }
        }
        return found;
    }

    private Observed observe(Role role, String deploymentId) {
        String name = role.roleName();
        Map<String, String> attributes = new HashMap<>();
        attributes.put(TRUST, String.valueOf(PolicyDocuments.parse(role.assumeRolePolicyDocument())));
        attributes.put(POLICY, inlinePolicy(name).map(p -> PolicyDocuments.parse(p).toString()).orElse("none"));
        OutputValues outputs = OutputValues.of(ROLE_NAME, name).and(ROLE_ARN, role.arn());
        Optional<InstanceProfile> profile = iam.listInstanceProfilesForRole(b -> b.roleName(name)).instanceProfiles().stream()
                .filter(p -> p.instanceProfileName().equals(name)).findFirst();
        attributes.put(PROFILE, profile.isPresent() ? "attached" : "missing");
        profile.ifPresent(p -> outputs.and(PROFILE_NAME, p.instanceProfileName()).and(PROFILE_ARN, p.arn()));
        return new Observed(name, deploymentId, attributes, outputs.toMap());
    }

    private Optional<String> inlinePolicy(String roleName) {
        try {
            return Optional.of(iam.getRolePolicy(b -> b.roleName(roleName).policyName(POLICY_NAME)).policyDocument());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /** Only once every queue and bucket it names exists. */
    String desiredPolicy(StackContext context) {
        List<String> values = POLICY_REFS.stream().map(context::require).toList();
        return PolicyDocuments.appTier(values.get(0), values.get(1), values.get(2), values.get(3), values.get(4));
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        List<String> drift = new ArrayList<>();
        List<Ref<?>> unknown = context.unknown(POLICY_REFS);
        if (!unknown.isEmpty()) {
            drift.add("inline policy: " + Ref.knownAfterApply(unknown));
        } else if (!PolicyDocuments.same(desiredPolicy(context), observed.attributes().get(POLICY).equals("none") ? null
                : observed.attributes().get(POLICY))) {
            drift.add("inline policy differs");
        }
        if (!"attached".equals(observed.attributes().get(PROFILE))) {
            drift.add("no instance profile");
        }
        if (!PolicyDocuments.same(PolicyDocuments.ec2Trust(), observed.attributes().get(TRUST))) {
            drift.add("trust policy differs");
        }
        return drift.isEmpty() ? Diff.keep() : Diff.update(String.join("; ", drift));
    }

    @Override
    public Observed create(StackContext context) {
        String name = IamNames.name(context, "app");
        boolean existed = false;
        try {
            iam.createRole(b -> b.roleName(name).path(IamNames.path(context)).assumeRolePolicyDocument(PolicyDocuments.ec2Trust())
                    .description("hybrid stack " + context.stack() + ": app-tier workers").tags(IamNames.tags(context, ROLE)));
        } catch (EntityAlreadyExistsException e) {
            existed = true; // an interrupted earlier up made it: finish it below like a new one
        }
        converge(name, context, existed, true, true);
        return observe(iam.getRole(b -> b.roleName(name)).role(), context.deploymentId());
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        // Repairs only what drifted, so a repaired policy is the one write.
        String policy = observed.attributes().get(POLICY);
        converge(observed.physicalId(), context, !PolicyDocuments.same(PolicyDocuments.ec2Trust(), observed.attributes().get(TRUST)),
                !PolicyDocuments.same(desiredPolicy(context), "none".equals(policy) ? null : policy),
                !"attached".equals(observed.attributes().get(PROFILE)));
        return observe(iam.getRole(b -> b.roleName(observed.physicalId())).role(), observed.deploymentId());
    }

    private void converge(String name, StackContext context, boolean repairTrust, boolean repairPolicy, boolean repairProfile) {
        String policy = desiredPolicy(context);
        if (repairTrust) {
            propagation.run("trust policy of role " + name, e -> AwsErrors.isNotYetVisible(e) || AwsErrors.isIamPropagation(e),
                    () -> iam.updateAssumeRolePolicy(b -> b.roleName(name).policyDocument(PolicyDocuments.ec2Trust())));
        }
        if (repairPolicy) {
            propagation.run("inline policy of role " + name, AwsErrors::isNotYetVisible,
                    () -> iam.putRolePolicy(b -> b.roleName(name).policyName(POLICY_NAME).policyDocument(policy)));
        }
        if (!repairProfile) {
            return;
        }
        try {
            iam.createInstanceProfile(b -> b.instanceProfileName(name).path(IamNames.path(context)).tags(IamNames.tags(context, ROLE)));
        } catch (EntityAlreadyExistsException e) {
            // made by an earlier, interrupted up
        }
        InstanceProfile profile = propagation.call("instance profile " + name, AwsErrors::isNotYetVisible,
                () -> iam.getInstanceProfile(b -> b.instanceProfileName(name)).instanceProfile());
        if (profile.roles().stream().noneMatch(role -> role.roleName().equals(name))) {
            propagation.run("adding role " + name + " to its instance profile", AwsErrors::isNotYetVisible,
                    () -> iam.addRoleToInstanceProfile(b -> b.instanceProfileName(name).roleName(name)));
        }
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        String name = observed.physicalId();
        try {
            for (InstanceProfile profile : iam.listInstanceProfilesForRole(b -> b.roleName(name)).instanceProfiles()) {
                iam.removeRoleFromInstanceProfile(b -> b.instanceProfileName(profile.instanceProfileName()).roleName(name));
            }
            // Also when an interrupted up made the profile but never joined the role to it.
            deleteProfile(name);
            for (String policy : iam.listRolePolicies(b -> b.roleName(name)).policyNames()) {
                iam.deleteRolePolicy(b -> b.roleName(name).policyName(policy));
            }
            iam.listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies()
                    .forEach(policy -> iam.detachRolePolicy(b -> b.roleName(name).policyArn(policy.policyArn())));
            iam.deleteRole(b -> b.roleName(name));
        } catch (NoSuchEntityException e) {
            // already gone: the goal of a delete
        }
    }

    private void deleteProfile(String name) {
        try {
            iam.deleteInstanceProfile(b -> b.instanceProfileName(name));
        } catch (NoSuchEntityException e) {
            // none, or deleted just now
        }
    }
}
