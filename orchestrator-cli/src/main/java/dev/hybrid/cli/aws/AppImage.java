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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The app-tier AMI, baked by {@code hybrid up} from images/app-tier: the worker jar goes to the
 * artifacts bucket, a builder instance installs it with the model, and its volume becomes
 * {@code hybrid-app-<content hash>}. The hash covers the jar, the model and its settings, the base
 * image and the recipe, so an up with the same inputs reuses the image and one with new inputs
 * bakes a new one and deletes the old.
 */
public final class AppImage implements Resource {
    private static final Logger log = LoggerFactory.getLogger(AppImage.class);
    public static final String KEY = "ec2:app-image";
    // Also finds what a web-tier image build left behind (builders, an AMI not yet deregistered), so teardown ends them.
    public static final String ROLE = Roles.APP_IMAGE;
    static final String BUILDER_ROLE = Roles.APP_IMAGE_BUILDER;
    public static final Address<AppImage> ADDRESS = Address.of(AppImage.class, KEY);
    public static final OutputKey<AppImage, String> IMAGE_ID = OutputKey.text(AppImage.class, "imageId");
    public static final OutputKey<AppImage, String> IMAGE_NAME = OutputKey.text(AppImage.class, "imageName");
    private static final Ref<String> ARTIFACTS_BUCKET = S3Bucket.at(AwsStack.ARTIFACTS).get(S3Bucket.NAME);
    private static final Ref<String> PROFILE = AppTierRole.ADDRESS.get(AppTierRole.PROFILE_ARN);
    private static final Ref<String> GROUP = AppSecurityGroup.ADDRESS.get(AppSecurityGroup.GROUP_ID);
    /** Where the worker jars go in the artifacts bucket; the app-tier role may read this prefix and no other. */
    static final String JAR_PREFIX = "images/app-tier/";
    private static final String KIND = "kind";
    private static final Recipe BUILDER = Recipe.load(AppImage.class, "builder-user-data.sh");
    private static final Recipe UNIT = Recipe.load(AppImage.class, "hybrid-worker.service");

    /**
     * What goes into the image.
     *
     * @param jar          the app-tier worker jar, {@code hybrid-app-tier.jar}
     * @param modelUrl     what the builder pre-fetches and the workers load, e.g. {@code djl://ai.djl.pytorch/resnet}
     * @param modelProfile the label set and pre-processing, {@code cse546} or {@code imagenet}
     * @param builderType  the builder's instance type
     */
    public record Inputs(Path jar, String modelUrl, String modelProfile, String builderType) {
    }

    private final Ec2Client ec2;
    private final S3Client s3;
    private final Inputs inputs;
    private final boolean keepImages;
    private final ImageBake bake;
    /** Worked out on first use and kept for the session: hashing the jar reads 140 MB. */
    private Baseline baseline;

    /** The base image and the content hash. */
    private record Baseline(String baseImageId, String jarSha256, String contentHash) {
        String imageName() {
            return "hybrid-app-" + contentHash;
        }
    }

    /**
     * @param inputs     null when the stack bakes no image (an AMI was given): any it baked before is deleted
     * @param keepImages images are left out of discovery, so neither up nor teardown deletes them; builders are still ended
     */
    public AppImage(Ec2Client ec2, S3Client s3, Inputs inputs, boolean keepImages, ImageBake bake) {
        this.ec2 = ec2;
        this.s3 = s3;
        this.inputs = inputs;
        this.keepImages = keepImages;
        this.bake = bake;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "ec2-image";
    }

    /** The builder fetches the jar from the artifacts bucket with the app-tier profile, and runs in the workers' egress-only group. */
    @Override
    public Set<Ref<?>> reads() {
        return Set.of(ARTIFACTS_BUCKET, PROFILE, GROUP);
    }

    @Override
    public boolean wanted(StackContext context) {
        return inputs != null;
    }

    @Override
    public List<Observed> discover(StackContext context) {
        List<Observed> found = new ArrayList<>();
        // An export interrupted before it deregistered its web-tier AMI leaves one behind: a stray, like old images,
        // and found even when this stack's own images are kept.
        List<String> imageRoles = keepImages ? List.of(WebImageExport.IMAGE_ROLE) : List.of(ROLE, WebImageExport.IMAGE_ROLE);
        List<Filter> ofTheseRoles = Ec2Tags.filters(context, imageRoles.toArray(String[]::new));
        for (Image image : ec2.describeImagesPaginator(b -> b.owners("self").filters(ofTheseRoles)).images()) {
            Map<String, String> tags = Ec2Tags.asMap(image.tags());
            if (imageRoles.stream().anyMatch(role -> Tags.belongsTo(tags, context.stack(), role)) && !"deregistered".equals(image.stateAsString())) {
                found.add(observe(image, tags.get(TagKeys.DEPLOYMENT)));
            }
        }
        // A builder left behind by an interrupted bake is a stray: the next bake starts afresh.
        for (String role : List.of(BUILDER_ROLE, WebImageExport.BUILDER_ROLE)) {
            ec2.describeInstancesPaginator(b -> b.filters(Ec2Tags.filters(context, role))).reservations().stream()
                    .flatMap(r -> r.instances().stream())
                    .filter(i -> !Set.of("shutting-down", "terminated").contains(i.state().nameAsString()))
                    .forEach(i -> found.add(new Observed(i.instanceId(), Ec2Tags.asMap(i.tags()).get(TagKeys.DEPLOYMENT),
                            Map.of(KIND, "builder", "state", i.state().nameAsString()), Map.of())));
        }
        return found;
    }

    private static Observed observe(Image image, String deploymentId) {
        return new Observed(image.imageId(), deploymentId, Map.of(KIND, "image", "name", image.name(), "state", image.stateAsString()),
                outputs(image.imageId(), image.name()));
    }

    private static Map<String, String> outputs(String imageId, String imageName) {
        return OutputValues.of(IMAGE_ID, imageId).and(IMAGE_NAME, imageName).toMap();
    }

    /** The image of these inputs, whichever deployment baked it; older images and builders are strays. */
    @Override
    public boolean isCurrent(Observed observed, StackContext context) {
        return "image".equals(observed.attributes().get(KIND)) && baseline().imageName().equals(observed.attributes().get("name"));
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        String state = observed.attributes().get("state");
        return "available".equals(state) ? Diff.keep() : Diff.update("image is " + state);
    }

    @Override
    public Observed create(StackContext context) {
        Baseline base = baseline();
        // Kept by an earlier teardown, or baked by another stack of this account from the same inputs.
        Image existing = bake.ownImageNamed(base.imageName()).filter(image -> "available".equals(image.stateAsString())).orElse(null);
        if (existing != null) {
            log.info("reusing image {} ({}): it was baked from the same inputs", existing.imageId(), base.imageName());
            return observe(existing, context.deploymentId());
        }
        String bucket = context.require(ARTIFACTS_BUCKET);
        String jarKey = JAR_PREFIX + base.jarSha256() + ".jar";
        Artifacts.upload(s3, bucket, jarKey, inputs.jar());
        List<Tag> imageTags = new ArrayList<>(Ec2Tags.of(context, ROLE));
        imageTags.add(Tag.builder().key(TagKeys.CONTENT_HASH).value(base.contentHash()).build());
        String imageId = bake.bake(new ImageBake.Request(base.imageName(), "hybrid app tier: worker, model " + inputs.modelUrl(),
                base.baseImageId(), inputs.builderType(),
                context.require(PROFILE), context.require(GROUP),
                builderUserData("s3://" + bucket + "/" + jarKey), imageTags, Ec2Tags.of(context, BUILDER_ROLE)));
        return new Observed(imageId, context.deploymentId(), Map.of(KIND, "image", "name", base.imageName(), "state", "available"),
                outputs(imageId, base.imageName()));
    }

    /** An interrupted up left the image pending: wait for it; a failed one is baked again. */
    @Override
    public Observed update(Observed observed, StackContext context) {
        if ("pending".equals(observed.attributes().get("state"))) {
            bake.waitUntilAvailable(observed.physicalId());
            return new Observed(observed.physicalId(), observed.deploymentId(), Map.of(KIND, "image", "name", observed.attributes().get("name"),
                    "state", "available"), observed.outputs());
        }
        bake.deleteImage(observed.physicalId());
        return create(context);
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        if ("builder".equals(observed.attributes().get(KIND))) {
            bake.terminate(observed.physicalId());
        } else {
            bake.deleteImage(observed.physicalId());
        }
    }

    String builderUserData(String jarUri) {
        return BUILDER.fill(Map.of("JAR_S3_URI", jarUri, "MODEL_URL", inputs.modelUrl(), "MODEL_PROFILE", inputs.modelProfile(),
                "UNIT", UNIT.text().strip()));
    }

    // Synchronized: the walker may ask from more than one of its threads, and the work should be done once.
    private synchronized Baseline baseline() {
        if (baseline == null) {
            String jarSha = Artifacts.sha256(inputs.jar());
            String base = bake.newestAmazonLinux().imageId();
            baseline = new Baseline(base, jarSha, Artifacts.contentHash(
                    List.of(jarSha, inputs.modelUrl(), inputs.modelProfile(), base, BUILDER.text(), UNIT.text())));
        }
        return baseline;
    }
}
