package dev.hybrid.cli.aws;

import dev.hybrid.cli.config.Recipe;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
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
    public static final String OUTPUT_ID = "launchTemplateId";
    public static final String OUTPUT_NAME = "launchTemplateName";
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

    @Override
    public Set<String> dependsOn() {
        Set<String> keys = new java.util.HashSet<>(Set.of(AppSecurityGroup.KEY, AppTierRole.KEY, SqsQueue.keyFor("request"),
                SqsQueue.keyFor("response"), S3Bucket.keyFor(AwsStack.INPUT), S3Bucket.keyFor(AwsStack.OUTPUT)));
        if (spec.baked()) {
            keys.add(AppImage.KEY);
        }
        return Set.copyOf(keys);
    }

    private String imageId(StackContext context, boolean strict) {
        if (!spec.baked()) {
            return spec.imageId();
        }
        return strict ? required(context, AppImage.KEY, AppImage.OUTPUT_IMAGE_ID) : optional(context, AppImage.KEY, AppImage.OUTPUT_IMAGE_ID);
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
        return new Observed(id, deploymentId, attributes, Map.of(OUTPUT_ID, id, OUTPUT_NAME, name));
    }

    private String required(StackContext context, String key, String output) {
        return context.output(key, output).orElseThrow(() -> new IllegalStateException(key + " has no " + output + " yet"));
    }

    private String optional(StackContext context, String key, String output) {
        return context.output(key, output).orElse(AppTierRole.NOT_YET_CREATED);
    }

    /** Queue URLs and bucket names only: the worker's credentials come from the instance profile. */
    String userData(StackContext context, boolean strict) {
        java.util.function.BiFunction<String, String, String> read = strict ? (k, o) -> required(context, k, o) : (k, o) -> optional(context, k, o);
        return USER_DATA.fill(Map.of(
                "REQUEST_QUEUE_URL", read.apply(SqsQueue.keyFor("request"), SqsQueue.OUTPUT_URL),
                "RESPONSE_QUEUE_URL", read.apply(SqsQueue.keyFor("response"), SqsQueue.OUTPUT_URL),
                "INPUT_BUCKET", read.apply(S3Bucket.keyFor(AwsStack.INPUT), S3Bucket.OUTPUT_NAME),
                "OUTPUT_BUCKET", read.apply(S3Bucket.keyFor(AwsStack.OUTPUT), S3Bucket.OUTPUT_NAME),
                "VISIBILITY_TIMEOUT_SECONDS", String.valueOf(spec.visibilityTimeoutSeconds()),
                "IDLE_EXIT_SECONDS", String.valueOf(IDLE_EXIT_SECONDS)));
    }

    private Map<String, String> desired(StackContext context) {
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("imageId", imageId(context, false));
        attributes.put("instanceType", spec.instanceType());
        attributes.put("instanceProfile", optional(context, AppTierRole.KEY, AppTierRole.OUTPUT_PROFILE_ARN));
        attributes.put("securityGroups", optional(context, AppSecurityGroup.KEY, AppSecurityGroup.OUTPUT_GROUP_ID));
        attributes.put("shutdownBehavior", ShutdownBehavior.TERMINATE.toString());
        attributes.put("httpTokens", LaunchTemplateHttpTokensState.REQUIRED.toString());
        attributes.put("userData", userData(context, false));
        attributes.put("instanceTags", List.of(ResourceType.INSTANCE, ResourceType.VOLUME).stream()
                .map(type -> type.toString() + Tags.of(context, Roles.APP_WORKER).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList())
                .sorted().toList().toString());
        return attributes;
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        List<String> drift = new ArrayList<>();
        desired(context).forEach((name, wanted) -> {
            if (!wanted.equals(observed.attributes().get(name))) {
                drift.add(name.equals("userData") ? "user-data differs" : name + " " + observed.attributes().get(name) + " -> " + wanted);
            }
        });
        return drift.isEmpty() ? Diff.keep() : Diff.update(String.join("; ", drift));
    }

    private RequestLaunchTemplateData data(StackContext context) {
        String userData = userData(context, true);
        return RequestLaunchTemplateData.builder()
                .imageId(imageId(context, true))
                .instanceType(spec.instanceType())
                .iamInstanceProfile(p -> p.arn(required(context, AppTierRole.KEY, AppTierRole.OUTPUT_PROFILE_ARN)))
                .securityGroupIds(required(context, AppSecurityGroup.KEY, AppSecurityGroup.OUTPUT_GROUP_ID))
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
        return observe(observed.physicalId(), observed.outputs().get(OUTPUT_NAME), observed.deploymentId());
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
