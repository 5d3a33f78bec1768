package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.cli.engine.VirtualClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.hybrid.cli.aws.BakeStubs.*;
import static dev.hybrid.cli.aws.QueryApi.ec2Error;
import static dev.hybrid.cli.aws.QueryApi.ec2Ok;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.hybrid.cli.engine.Action;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.engine.Walker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The app-tier image bake against WireMock speaking EC2's query protocol and S3's REST to the real
 * SDK: the exact requests of a bake through pending → running → stopped → image available, a recipe
 * that failed (its console), a builder that never powers off, IAM propagation on launch, and web-tier
 * AMIs an interrupted export left. Plan, reuse and teardown run against moto in {@link MotoAppImageTest}.
 */
class AppImageTest {
    private static final String STACK = "s1";
    private static final String ARTIFACTS = "hybrid-s1-artifacts-" + ACCOUNT + "-us-east-1";
    private static final String WEB_LEFTOVER = "ami-0webleft00000001";
    /** The web-tier AMI an export interrupted before deregistering it leaves behind. */
    private static final String WEB_LEFTOVER_IMAGE = image(WEB_LEFTOVER, "hybrid-web-old", "available", "2026-11-23T00:00:00.000Z", "snap-0web",
            ec2Tags(WebImageExport.IMAGE_ROLE));
    private static final String PROFILE_ARN = "arn:aws:iam::" + ACCOUNT + ":instance-profile/hybrid/s1/hybrid-s1-app-d1";

    @TempDir
    Path dir;
    private WireMockAws aws;
    private WireMockServer server;
    private QueryApi api;
    private Ec2Client ec2;
    private S3Client s3;
    private Path jar;
    private final CallRecorder calls = new CallRecorder();
    private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    private Walker walker;
    private BakeStubs stubs;

    @BeforeEach
    void start() throws Exception {
        aws = new WireMockAws(calls);
        server = aws.server;
        api = aws.api;
        ec2 = aws.ec2;
        s3 = aws.s3;
        jar = Files.write(dir.resolve("hybrid-app-tier.jar"), "a worker jar".getBytes(StandardCharsets.UTF_8));
        walker = new Walker(4, ProgressListener.NONE);
        stubs = new BakeStubs(server);
        stubs.steadyState(ARTIFACTS);
    }

    @AfterEach
    void stop() {
        walker.close();
        aws.close();
    }

    // ---- the graph -----------------------------------------------------------------------------------

    private ImageBake bake(Duration builderTimeout) {
        return new ImageBake(ec2, new Backoff(5, Duration.ofSeconds(1), Duration.ofSeconds(8), pauses::add),
                new Waiter(new VirtualClock(pauses::add), ProgressBars.NONE), Duration.ofSeconds(15), builderTimeout, Duration.ofMinutes(45));
    }

    private AppImage appImage(boolean keepImages, Duration builderTimeout) {
        return new AppImage(ec2, s3, new AppImage.Inputs(jar, "djl://ai.djl.pytorch/resnet", "cse546", "t3.medium"), keepImages, bake(builderTimeout));
    }

    private Graph graph(AppImage image) {
        return Graph.of(List.of(
                new Existing(S3Bucket.keyFor(AwsStack.ARTIFACTS), Map.of(S3Bucket.NAME.name(), ARTIFACTS)),
                new Existing(AppTierRole.KEY, Map.of(AppTierRole.PROFILE_ARN.name(), PROFILE_ARN)),
                new Existing(AppSecurityGroup.KEY, Map.of(AppSecurityGroup.GROUP_ID.name(), "sg-0app")),
                image));
    }

    private static StackContext context() {
        return new StackContext(STACK, "d1");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // ---- tests ---------------------------------------------------------------------------------------

    @Test
    void upBakesFromTheNewestAmazonLinuxWaitsForStoppedAndAvailableThenTerminatesTheBuilder() throws Exception {
        stubs.sequence("builder", "DescribeInstances", Map.of("InstanceId.1", BUILDER), ec2Ok("DescribeInstances", reservation(BUILDER, "pending")),
                ec2Ok("DescribeInstances", reservation(BUILDER, "running")), ec2Ok("DescribeInstances", reservation(BUILDER, "stopping")),
                ec2Ok("DescribeInstances", reservation(BUILDER, "stopped")));
        stubs.sequence("image", "DescribeImages", Map.of("ImageId.1", BAKED),
                ec2Ok("DescribeImages", "<imagesSet>" + image(BAKED, "hybrid-app-x", "pending", "2026-11-23T00:00:00.000Z", "", "") + "</imagesSet>"),
                ec2Ok("DescribeImages", "<imagesSet>" + image(BAKED, "hybrid-app-x", "available", "2026-11-23T00:00:00.000Z", "snap-0baked", "")
                        + "</imagesSet>"));

        WalkReport up = walker.up(graph(appImage(false, Duration.ofMinutes(30))), context());

        assertTrue(up.succeeded(), up.toString());
        assertEquals(BAKED, up.outputs().get(AppImage.KEY).get(AppImage.IMAGE_ID.name()));
        String imageName = up.outputs().get(AppImage.KEY).get(AppImage.IMAGE_NAME.name());
        assertTrue(imageName.matches("hybrid-app-[0-9a-f]{20}"), imageName);

        // The jar goes to the artifacts bucket under its own hash, where the builder's profile may read it.
        String jarKey = "images/app-tier/" + sha256(Files.readAllBytes(jar)) + ".jar";
        assertEquals(1, server.findAll(putRequestedFor(urlPathMatching("/" + ARTIFACTS + "/" + jarKey))).size());

        Map<String, String> run = api.only("RunInstances");
        assertEquals(BASE_NEW, run.get("ImageId"), "the newest Amazon Linux 2023");
        assertEquals("t3.medium", run.get("InstanceType"));
        assertEquals("1", run.get("MinCount"));
        assertEquals("1", run.get("MaxCount"));
        assertFalse(run.getOrDefault("ClientToken", "").isBlank(), "a retried launch never makes a second builder");
        assertEquals(PROFILE_ARN, run.get("IamInstanceProfile.Arn"));
        assertEquals("sg-0app", run.get("SecurityGroupId.1"));
        assertEquals("stop", run.get("InstanceInitiatedShutdownBehavior"), "its stopped volume is what becomes the image");
        assertEquals("required", run.get("MetadataOptions.HttpTokens"));
        assertEquals("instance", run.get("TagSpecification.1.ResourceType"));
        assertTrue(run.entrySet().stream().anyMatch(e -> e.getKey().startsWith("TagSpecification.1.Tag.") && e.getValue().equals(AppImage.BUILDER_ROLE)));

        String userData = new String(Base64.getDecoder().decode(run.get("UserData")), StandardCharsets.UTF_8);
        assertTrue(userData.contains("aws s3 cp 's3://" + ARTIFACTS + "/" + jarKey + "' /opt/hybrid/hybrid-app-tier.jar"), userData);
        assertTrue(userData.contains("--prefetch-model --model 'djl://ai.djl.pytorch/resnet'"), userData);
        assertTrue(userData.contains("HYBRID_MODEL_PROFILE=cse546"), userData);
        assertTrue(userData.contains("ExecStart=/usr/bin/java -XX:SharedArchiveFile=/opt/hybrid/hybrid-app-tier.jsa -Dai.djl.offline=true"),
                "the unit is baked in: " + userData);
        assertTrue(userData.contains("java -XX:ArchiveClassesAtExit=/opt/hybrid/hybrid-app-tier.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \\\n"
                + "  -jar /opt/hybrid/hybrid-app-tier.jar --class-archive-workload"), "the bake writes the archive the unit uses: " + userData);
        assertTrue(userData.contains("java -Xshare:on -XX:SharedArchiveFile=/opt/hybrid/hybrid-app-tier.jsa"), "and checks that it maps");
        assertFalse(userData.matches("(?s).*@[A-Z][A-Z0-9_]*@.*"), "every placeholder filled: " + userData);
        assertFalse(userData.toLowerCase(java.util.Locale.ROOT).contains("secret"), "no credentials: the builder has its instance profile");
        assertFalse(userData.contains("AKID"), userData);

        Map<String, String> create = api.only("CreateImage");
        assertEquals(BUILDER, create.get("InstanceId"));
        assertEquals(imageName, create.get("Name"));
        assertEquals("image", create.get("TagSpecification.1.ResourceType"));
        assertEquals("snapshot", create.get("TagSpecification.2.ResourceType"));
        assertTrue(create.containsValue(imageName.substring("hybrid-app-".length())), "the content hash is a tag: " + create);

        List<String> actions = api.actions();
        assertTrue(actions.lastIndexOf("TerminateInstances") > actions.indexOf("CreateImage"), actions.toString());
        assertTrue(actions.indexOf("CreateImage") > actions.indexOf("GetConsoleOutput"), "the recipe's verdict is read first: " + actions);
        assertEquals(BUILDER, api.only("TerminateInstances").get("InstanceId.1"));
        assertEquals(4, api.requests("DescribeInstances").stream().filter(r -> BUILDER.equals(r.get("InstanceId.1"))).count());
        assertTrue(pauses.size() >= 4, "polled, pausing between: " + pauses);
    }

    @Test
    void aRecipeThatFailedNeverBecomesAnImageAndItsBuilderIsTerminated() {
        stubs.stub("GetConsoleOutput", Map.of(), PRIORITY_SPECIFIC, console("cloud-init: running modules\n"
                + "hybrid-bake: FAILED at line 14: Error: Failed to download metadata for repo 'amazonlinux'\nreboot: Power down\n"));
        WalkReport up = walker.up(graph(appImage(false, Duration.ofMinutes(30))), context());
        assertFalse(up.succeeded());
        String error = up.nodes().stream().filter(n -> n.key().equals(AppImage.KEY)).findFirst().orElseThrow().error();
        assertTrue(error.contains("the image recipe failed on builder " + BUILDER), error);
        assertTrue(error.contains("Failed to download metadata for repo 'amazonlinux'"), error);
        assertEquals(List.of(), api.requests("CreateImage"));
        assertEquals(BUILDER, api.only("TerminateInstances").get("InstanceId.1"));
    }

    @Test
    void aBuilderThatNeverPowersOffTimesOutWithItsConsoleAndIsTerminated() {
        stubs.stub("DescribeInstances", Map.of("InstanceId.1", BUILDER), 2, ec2Ok("DescribeInstances", reservation(BUILDER, "running")));
        stubs.stub("GetConsoleOutput", Map.of(), PRIORITY_SPECIFIC, console("Installing : java-17-amazon-corretto-headless\n"));
        WalkReport up = walker.up(graph(appImage(false, Duration.ofMinutes(2))), context());
        assertFalse(up.succeeded());
        String error = up.nodes().stream().filter(n -> n.key().equals(AppImage.KEY)).findFirst().orElseThrow().error();
        assertTrue(error.contains("did not power off within 2 min (state running)"), error);
        assertTrue(error.contains("java-17-amazon-corretto-headless"), error);
        assertEquals(List.of(), api.requests("CreateImage"));
        assertEquals(1, api.requests("TerminateInstances").size());
    }

    @Test
    void aProfileEc2DoesNotKnowYetIsRetriedWithTheSameClientToken() {
        stubs.sequence("propagation", "RunInstances", Map.of(),
                ec2Error("InvalidParameterValue", "Value (hybrid-s1-app-d1) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"),
                ec2Ok("RunInstances", "<reservationId>r-1</reservationId><ownerId>" + ACCOUNT + "</ownerId><groupSet/>" + instancesSet(BUILDER, "pending")));
        WalkReport up = walker.up(graph(appImage(false, Duration.ofMinutes(30))), context());
        assertTrue(up.succeeded(), up.toString());
        List<Map<String, String>> runs = api.requests("RunInstances");
        assertEquals(2, runs.size());
        assertEquals(runs.get(0).get("ClientToken"), runs.get(1).get("ClientToken"));
        assertEquals(Duration.ofSeconds(1), pauses.get(0));
    }

    @Test
    void teardownFindsAWebTierAmiLeftByAnInterruptedExportInTheSameQueryAsTheAppImage() {
        stubStackWithImageAndBuilder();
        stubOwnImagesOfBothRoles(image(BAKED, "hybrid-app-old", "available", "2026-11-23T00:00:00.000Z", "snap-0baked", ec2Tags("app-image")),
                WEB_LEFTOVER_IMAGE);
        stubWebLeftoverById();

        WalkReport teardown = walker.teardown(graph(appImage(false, Duration.ofMinutes(30))), context());

        assertTrue(teardown.succeeded(), teardown.toString());
        assertEquals(List.of(BAKED, WEB_LEFTOVER), api.requests("DeregisterImage").stream().map(r -> r.get("ImageId")).sorted().toList());
        assertEquals(List.of("snap-0baked", "snap-0web"), api.requests("DeleteSnapshot").stream().map(r -> r.get("SnapshotId")).sorted().toList());
        List<Map<String, String>> byTag = ownImagesByTag();
        assertEquals(1, byTag.size(), "one DescribeImages for both roles: " + byTag);
        assertEquals(AppImage.ROLE, byTag.get(0).get("Filter.2.Value.1"));
        assertEquals(WebImageExport.IMAGE_ROLE, byTag.get(0).get("Filter.2.Value.2"));
    }

    @Test
    void keepImagesStillEndsAWebTierAmiLeftByAnInterruptedExport() {
        stubStackWithImageAndBuilder();
        stubs.stub("DescribeImages", Map.of("Owner.1", "self", "Filter.1.Name", "tag:hybrid:stack", "Filter.2.Value.1", WebImageExport.IMAGE_ROLE),
                PRIORITY_SPECIFIC, ec2Ok("DescribeImages", "<imagesSet>" + WEB_LEFTOVER_IMAGE + "</imagesSet>"));
        stubWebLeftoverById();

        WalkReport teardown = walker.teardown(graph(appImage(true, Duration.ofMinutes(30))), context());

        assertTrue(teardown.succeeded(), teardown.toString());
        assertEquals(WEB_LEFTOVER, api.only("DeregisterImage").get("ImageId"), "the app image is kept, the web-tier leftover is not");
        List<Map<String, String>> byTag = ownImagesByTag();
        assertEquals(1, byTag.size(), byTag.toString());
        assertEquals(WebImageExport.IMAGE_ROLE, byTag.get(0).get("Filter.2.Value.1"));
        assertNull(byTag.get(0).get("Filter.2.Value.2"), "kept images are not even asked for: " + byTag);
    }

    /** Answers the one tag query for this account's images, which asks for app images and web-tier leftovers together. */
    private void stubOwnImagesOfBothRoles(String... images) {
        stubs.stub("DescribeImages", Map.of("Owner.1", "self", "Filter.1.Name", "tag:hybrid:stack", "Filter.2.Value.1", AppImage.ROLE,
                "Filter.2.Value.2", WebImageExport.IMAGE_ROLE), PRIORITY_SPECIFIC, ec2Ok("DescribeImages", "<imagesSet>" + String.join("", images) + "</imagesSet>"));
    }

    private void stubWebLeftoverById() {
        stubs.stub("DescribeImages", Map.of("ImageId.1", WEB_LEFTOVER), PRIORITY_SPECIFIC, ec2Ok("DescribeImages", "<imagesSet>" + WEB_LEFTOVER_IMAGE
                + "</imagesSet>"));
    }

    private List<Map<String, String>> ownImagesByTag() {
        return api.requests("DescribeImages").stream().filter(r -> "self".equals(r.get("Owner.1")) && "tag:hybrid:stack".equals(r.get("Filter.1.Name")))
                .toList();
    }

    private void stubStackWithImageAndBuilder() {
        stubOwnImagesOfBothRoles(image(BAKED, "hybrid-app-old", "available", "2026-11-23T00:00:00.000Z", "snap-0baked", ec2Tags("app-image")));
        stubs.stub("DescribeInstances", Map.of("Filter.1.Name", "tag:hybrid:stack", "Filter.2.Value.1", AppImage.BUILDER_ROLE), PRIORITY_SPECIFIC, ec2Ok("DescribeInstances",
                reservation(BUILDER, "running")));
    }
}
