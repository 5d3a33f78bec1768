package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.engine.Action;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.VirtualClock;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.engine.Walker;
import dev.hybrid.localaws.MotoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * The app-tier image resource ({@code ec2:app-image}) walked against moto: plan, reuse by name and
 * by tag, teardown with and without {@code --keep-images}, read back from moto's state. moto runs no
 * user data, so the waiter's pause plays the recipe's power-off by stopping running builders. What
 * needs a console or an injected error (a failed recipe, a builder that never powers off, a profile
 * EC2 does not know yet) stays in {@link AppImageTest} on WireMock.
 */
class MotoAppImageTest {
    private static final StackContext CONTEXT = new StackContext("mimg", "d1");
    private static final String ARTIFACTS = BucketNames.of("mimg", AwsStack.ARTIFACTS, MotoServer.ACCOUNT_ID, MotoServer.REGION);

    @TempDir
    Path dir;
    private MotoServer moto;
    private MotoClients aws;
    private final CallRecorder calls = new CallRecorder();
    private Walker walker;
    private Path jar;
    private String profileArn;
    private String groupId;

    @BeforeEach
    void start() throws Exception {
        moto = MotoServer.shared();
        moto.reset();
        aws = new MotoClients(moto.endpoint(), calls);
        walker = new Walker(4, ProgressListener.NONE);
        jar = Files.write(dir.resolve("hybrid-app-tier.jar"), "a worker jar".getBytes(StandardCharsets.UTF_8));
        aws.s3.createBucket(b -> b.bucket(ARTIFACTS));
        profileArn = aws.iam.createInstanceProfile(b -> b.instanceProfileName("hybrid-mimg-app-d1")).instanceProfile().arn();
        groupId = aws.ec2.createSecurityGroup(b -> b.groupName("hybrid-mimg-app-d1").description("app")).groupId();
    }

    @AfterEach
    void stop() {
        walker.close();
        aws.close();
    }

    private Graph graph(boolean keepImages) {
        ImageBake bake = new ImageBake(aws.ec2, new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(1), pause -> { }),
                new Waiter(new VirtualClock(pause -> stopRunningBuilders()), ProgressBars.NONE), Duration.ofSeconds(15),
                Duration.ofMinutes(30), Duration.ofMinutes(45));
        AppImage image = new AppImage(aws.ec2, aws.s3, new AppImage.Inputs(jar, "djl://ai.djl.pytorch/resnet", "cse546", "t3.medium"),
                keepImages, bake);
        return Graph.of(List.of(
                new Existing(S3Bucket.keyFor(AwsStack.ARTIFACTS), Map.of(S3Bucket.NAME.name(), ARTIFACTS)),
                new Existing(AppTierRole.KEY, Map.of(AppTierRole.PROFILE_ARN.name(), profileArn)),
                new Existing(AppSecurityGroup.KEY, Map.of(AppSecurityGroup.GROUP_ID.name(), groupId)),
                image));
    }

    private WalkReport up(StackContext context) {
        WalkReport up = walker.up(graph(false), context);
        assertTrue(up.succeeded(), up::toString);
        return up;
    }

    private static Action action(WalkReport report) {
        return report.changes().stream().filter(c -> c.key().equals(AppImage.KEY)).findFirst().orElseThrow().action();
    }

    @Test
    void planNamesTheBakeAndMakesNoMutatingCall() {
        WalkReport plan = walker.plan(graph(false), CONTEXT);
        assertTrue(plan.succeeded(), plan::toString);
        assertEquals(Action.CREATE, action(plan));
        assertEquals(List.of("CreateBucket", "CreateInstanceProfile", "CreateSecurityGroup"), calls.mutating(), "only the test's set-up");
        assertEquals(List.of(), aws.s3.listObjectsV2(b -> b.bucket(ARTIFACTS)).contents(), "no jar uploaded");
    }

    @Test
    void theSameInputsBakeOnceAndAnImageOfTheSameNameIsReusedByAnyStack() {
        WalkReport first = up(CONTEXT);
        String imageId = first.outputs().get(AppImage.KEY).get(AppImage.IMAGE_ID.name());
        String name = first.outputs().get(AppImage.KEY).get(AppImage.IMAGE_NAME.name());
        assertTrue(name.matches("hybrid-app-[0-9a-f]{20}"), name);
        assertEquals(1, aws.s3.listObjectsV2(b -> b.bucket(ARTIFACTS)).contents().size(), "the jar was uploaded once");

        calls.clear();
        WalkReport second = up(CONTEXT);
        assertEquals(Action.KEEP, action(second));
        assertEquals(imageId, second.outputs().get(AppImage.KEY).get(AppImage.IMAGE_ID.name()));
        assertEquals(List.of(), calls.mutating(), "nothing baked or uploaded again");

        // Another stack with the same inputs finds the image by its name and bakes nothing.
        WalkReport other = up(new StackContext("mimgother", "d9"));
        assertEquals(imageId, other.outputs().get(AppImage.KEY).get(AppImage.IMAGE_ID.name()));
        assertFalse(calls.mutating().contains("RunInstances"), calls.mutating()::toString);
        assertEquals(1, aws.ec2.describeImages(b -> b.owners("self")).images().size());
    }

    @Test
    void teardownDeregistersTheImageDeletesItsSnapshotAndEndsALeftoverBuilder() {
        up(CONTEXT);
        String leftover = leftoverBuilder();
        WalkReport teardown = walker.teardown(graph(false), CONTEXT);
        assertTrue(teardown.succeeded(), teardown::toString);
        assertEquals(List.of(), aws.ec2.describeImages(b -> b.owners("self")).images());
        assertEquals(List.of(), stackSnapshots());
        assertEquals("terminated", state(leftover));
    }

    @Test
    void teardownWithKeepImagesLeavesImagesAndSnapshotsButEndsBuilders() {
        up(CONTEXT);
        String leftover = leftoverBuilder();
        WalkReport teardown = walker.teardown(graph(true), CONTEXT);
        assertTrue(teardown.succeeded(), teardown::toString);
        assertEquals(1, aws.ec2.describeImages(b -> b.owners("self")).images().size());
        assertEquals(1, stackSnapshots().size());
        assertEquals("terminated", state(leftover));
    }

    /** A builder an interrupted up left running, tagged as the bake tags it. */
    private String leftoverBuilder() {
        String base = aws.ec2.describeImages(b -> b.owners("amazon")).images().get(0).imageId();
        return aws.ec2.runInstances(b -> b.imageId(base).minCount(1).maxCount(1).tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE)
                .tags(Ec2Tags.of(CONTEXT, AppImage.BUILDER_ROLE)))).instances().get(0).instanceId();
    }

    /** moto's own AMIs come with hundreds of snapshots; the stack's carry its tag. */
    private List<String> stackSnapshots() {
        return aws.ec2.describeSnapshots(b -> b.filters(Filter.builder().name("tag:hybrid:stack").values("mimg").build())).snapshots().stream()
                .map(snapshot -> snapshot.snapshotId()).toList();
    }

    private String state(String instanceId) {
        return aws.ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations().get(0).instances().get(0).state().nameAsString();
    }

    private void stopRunningBuilders() {
        List<String> running = aws.ec2.describeInstances(b -> b.filters(Filter.builder().name("tag:hybrid:role").values(AppImage.BUILDER_ROLE).build(),
                        Filter.builder().name("instance-state-name").values("running").build()))
                .reservations().stream().flatMap(r -> r.instances().stream()).map(Instance::instanceId).toList();
        if (!running.isEmpty()) {
            aws.ec2.stopInstances(b -> b.instanceIds(running));
        }
    }
}
