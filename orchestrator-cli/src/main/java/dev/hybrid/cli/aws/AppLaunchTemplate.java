package dev.hybrid.cli.aws;

import dev.hybrid.cli.config.Recipe;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;

/**
 * The launch template of the app-tier workers: the AMI, the instance type, the instance profile
 * (the worker's only credentials), the security group, and user-data that tells the worker where
 * its queues and buckets are. A worker that powers itself off when idle is terminated, not kept.
 */
public final class AppLaunchTemplate implements Resource {
    public static final String KEY = "ec2:app-template";
    public static final String ROLE = Roles.APP_TEMPLATE;
    /** The role tag of the workers launched from the template. */
    public static final String WORKER_ROLE = Roles.APP_WORKER;
    public static final Address<AppLaunchTemplate> ADDRESS = Address.of(AppLaunchTemplate.class, KEY);
    public static final OutputKey<AppLaunchTemplate, String> ID = OutputKey.text(AppLaunchTemplate.class, "launchTemplateId");
    public static final OutputKey<AppLaunchTemplate, String> NAME = OutputKey.text(AppLaunchTemplate.class, "launchTemplateName");
    private static final Ref<String> IMAGE = AppImage.ADDRESS.get(AppImage.IMAGE_ID);
    private static final Ref<String> PROFILE = AppTierRole.ADDRESS.get(AppTierRole.PROFILE_ARN);
    private static final Ref<String> GROUP = AppSecurityGroup.ADDRESS.get(AppSecurityGroup.GROUP_ID);
    /** What the worker's user-data tells it, by the name in the recipe. */
    private static final Map<String, Ref<String>> USER_DATA_REFS = Map.of(
            "REQUEST_QUEUE_URL", SqsQueue.at("request").get(SqsQueue.URL),
            "RESPONSE_QUEUE_URL", SqsQueue.at("response").get(SqsQueue.URL),
            "INPUT_BUCKET", S3Bucket.at(AwsStack.INPUT).get(S3Bucket.NAME),
            "OUTPUT_BUCKET", S3Bucket.at(AwsStack.OUTPUT).get(S3Bucket.NAME));
    /** A worker whose web tier is gone, and so is never stopped by the autoscaler, powers off after this long idle. */
    static final int IDLE_EXIT_SECONDS = 300;
    private static final Recipe USER_DATA = Recipe.load(AppLaunchTemplate.class, "worker-user-data.sh");

    private final Ec2Client ec2;
    private final LaunchTemplateSpec spec;
    private final Backoff propagation;

    public AppLaunchTemplate(Ec2Client ec2, LaunchTemplateSpec spec, Backoff propagation) {
        this.ec2 = ec2;
        this.spec = spec;
        this.propagation = propagation;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "ec2-launch-template";
    }

    /** The image only when the stack bakes it. */
    @Override
    public Set<Ref<?>> reads() {
        Set<Ref<?>> refs = new java.util.HashSet<>(Set.of(PROFILE, GROUP));
        refs.addAll(USER_DATA_REFS.values());
        if (spec.baked()) {
            refs.add(IMAGE);
        }
        return Set.copyOf(refs);
    }

    private String imageId(StackContext context) {
        return spec.baked() ? context.require(IMAGE) : spec.imageId();
    }

    static String nameFor(StackContext context) {
        return "hybrid-" + context.stack() + "-app-" + context.deploymentId();
    }

    @Override
    public List<Observed> discover(StackContext context) {
        List<Observed> found = new ArrayList<>();
        for (LaunchTemplate template : ec2.describeLaunchTemplatesPaginator(b -> b.filters(Ec2Tags.filters(context, ROLE))).launchTemplates()) {
            Map<String, String> tags = Ec2Tags.asMap(template.tags());
            if (Tags.belongsTo(tags, context.stack(), ROLE)) {
                found.add(observe(template.launchTemplateId(), template.launchTemplateName(), tags.get(TagKeys.DEPLOYMENT)));
            }
        }
        return found;
    }

    private Observed observe(String id, String name, String deploymentId) {
        ResponseLaunchTemplateData data = ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(id).versions("$Default"))
                .launchTemplateVersions().get(0).launchTemplateData();
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("imageId", String.valueOf(data.imageId()));
        attributes.put("instanceType", String.valueOf(data.instanceTypeAsString()));
        attributes.put("instanceProfile", data.iamInstanceProfile() == null ? "none" : String.valueOf(data.iamInstanceProfile().arn()));
        attributes.put("securityGroups", String.join(",", data.securityGroupIds().stream().sorted().toList()));
        attributes.put("shutdownBehavior", String.valueOf(data.instanceInitiatedShutdownBehaviorAsString()));
        attributes.put("httpTokens", data.metadataOptions() == null ? "none" : String.valueOf(data.metadataOptions().httpTokensAsString()));
        attributes.put("userData", data.userData() == null ? "" : new String(Base64.getDecoder().decode(data.userData()), StandardCharsets.UTF_8));
        attributes.put("instanceTags", data.tagSpecifications().stream()
                .map(t -> t.resourceTypeAsString() + Ec2Tags.asMap(t.tags()).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList())
                .sorted().toList().toString());
        return new Observed(id, deploymentId, attributes, OutputValues.of(ID, id).and(NAME, name).toMap());
    }

    /** Queue URLs and bucket names only: the worker's credentials come from the instance profile. */
    String userData(StackContext context) {
        Map<String, String> values = new java.util.HashMap<>();
        USER_DATA_REFS.forEach((name, ref) -> values.put(name, context.require(ref)));
        values.putAll(Map.of(
                "VISIBILITY_TIMEOUT_SECONDS", String.valueOf(spec.visibilityTimeoutSeconds()),
                "IDLE_EXIT_SECONDS", String.valueOf(IDLE_EXIT_SECONDS)));
        return USER_DATA.fill(values);
    }

    /** The attributes as they should be; null for one that depends on an output not known yet (in a plan). */
    private Map<String, String> desired(StackContext context) {
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("imageId", spec.baked() ? context.get(IMAGE).orElse(null) : spec.imageId());
        attributes.put("instanceType", spec.instanceType());
        attributes.put("instanceProfile", context.get(PROFILE).orElse(null));
        attributes.put("securityGroups", context.get(GROUP).orElse(null));
        attributes.put("shutdownBehavior", ShutdownBehavior.TERMINATE.toString());
        attributes.put("httpTokens", LaunchTemplateHttpTokensState.REQUIRED.toString());
        attributes.put("userData", context.unknown(USER_DATA_REFS.values()).isEmpty() ? userData(context) : null);
        attributes.put("instanceTags", List.of(ResourceType.INSTANCE, ResourceType.VOLUME).stream()
                .map(type -> type.toString() + Tags.of(context, Roles.APP_WORKER).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList())
                .sorted().toList().toString());
        return attributes;
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        List<String> drift = new ArrayList<>();
        desired(context).forEach((name, wanted) -> {
            if (wanted == null) {
                drift.add(name + " known after apply");
            } else if (!wanted.equals(observed.attributes().get(name))) {
                drift.add(name.equals("userData") ? "user-data differs" : name + " " + observed.attributes().get(name) + " -> " + wanted);
            }
        });
        return drift.isEmpty() ? Diff.keep() : Diff.update(String.join("; ", drift));
    }

    private RequestLaunchTemplateData data(StackContext context) {
        String userData = userData(context);
        return RequestLaunchTemplateData.builder()
                .imageId(imageId(context))
                .instanceType(spec.instanceType())
                .iamInstanceProfile(p -> p.arn(context.require(PROFILE)))
                .securityGroupIds(context.require(GROUP))
                .instanceInitiatedShutdownBehavior(ShutdownBehavior.TERMINATE)
                .metadataOptions(m -> m.httpTokens(LaunchTemplateHttpTokensState.REQUIRED))
                .userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)))
                .tagSpecifications(List.of(ResourceType.INSTANCE, ResourceType.VOLUME).stream()
                        .map(type -> LaunchTemplateTagSpecificationRequest.builder().resourceType(type)
                                .tags(Ec2Tags.of(context, Roles.APP_WORKER)).build()).toList())
                .build();
    }

    @Override
    public Observed create(StackContext context) {
        String name = nameFor(context);
        RequestLaunchTemplateData data = data(context);
        // The same request gets the same token, so an SDK retry of a create that did succeed makes no second template.
        String token = name + "-" + sha256(data.toString() + data.userData()).substring(0, 16);
        String id;
        try {
            id = propagation.call("creating launch template " + name, AwsErrors::isIamPropagation, () -> ec2.createLaunchTemplate(b -> b
                    .launchTemplateName(name).clientToken(token).versionDescription("hybrid up")
                    .launchTemplateData(data).tagSpecifications(Ec2Tags.on(ResourceType.LAUNCH_TEMPLATE, context, ROLE)))
                    .launchTemplate().launchTemplateId());
        } catch (Ec2Exception e) {
            if (!AwsErrors.is(e, "InvalidLaunchTemplateName.AlreadyExistsException")) {
                throw e;
            }
            // An interrupted earlier up made it, perhaps with other data: give it ours as a new default version.
            id = ec2.describeLaunchTemplates(b -> b.launchTemplateNames(name)).launchTemplates().get(0).launchTemplateId();
            newDefaultVersion(id, data);
        }
        return observe(id, name, context.deploymentId());
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        newDefaultVersion(observed.physicalId(), data(context));
        return observe(observed.physicalId(), observed.output(NAME).orElseThrow(), observed.deploymentId());
    }

    private void newDefaultVersion(String id, RequestLaunchTemplateData data) {
        long version = propagation.call("new version of launch template " + id, AwsErrors::isIamPropagation,
                () -> ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(id).versionDescription("hybrid up").launchTemplateData(data))
                        .launchTemplateVersion().versionNumber());
        ec2.modifyLaunchTemplate(b -> b.launchTemplateId(id).defaultVersion(String.valueOf(version)));
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        try {
            ec2.deleteLaunchTemplate(b -> b.launchTemplateId(observed.physicalId()));
        } catch (Ec2Exception e) {
            if (!AwsErrors.is(e, "InvalidLaunchTemplateId.NotFound", "InvalidLaunchTemplateName.NotFoundException")) {
                throw e;
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
