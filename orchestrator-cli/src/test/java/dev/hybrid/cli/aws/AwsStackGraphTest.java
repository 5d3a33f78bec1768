package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.Resource;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** Which resources each target's graph holds; building a graph calls no cloud. */
class AwsStackGraphTest {
    private static final URI LOOPBACK = URI.create("http://127.0.0.1:9");
    private static final LaunchTemplateSpec TEMPLATE = new LaunchTemplateSpec("ami-0123456789abcdef0", "t3.medium", 120);
    private static final LaunchTemplateSpec BAKED = new LaunchTemplateSpec(null, "t3.medium", 120);
    private static final AppImage.Inputs BAKE = new AppImage.Inputs(java.nio.file.Path.of("hybrid-app-tier.jar"), "djl://ai.djl.pytorch/resnet",
            "cse546", "t3.medium");

    private static ComputeOptions compute(LaunchTemplateSpec template, AppImage.Inputs bake) {
        return new ComputeOptions(null, template, bake, false, false, new WebTierKeys(), dev.hybrid.cli.engine.ProgressBars.NONE);
    }

    private static List<String> keys(AwsTarget target, ComputeOptions compute) {
        try (AwsClients aws = new AwsClients(target)) {
            List<Resource> resources = AwsStack.resources(aws, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS, compute);
            Graph.of(resources); // no unknown dependency, no cycle
            return resources.stream().map(Resource::key).toList();
        }
    }

    @Test
    void localModeHasNoIamOrEc2EvenWhenAskedFor() {
        List<String> local = keys(AwsTarget.local(LOOPBACK, LOOPBACK), compute(TEMPLATE, null));
        assertEquals(List.of("sqs:dlq", "sqs:request", "sqs:response", "s3:input", "s3:output", "s3:artifacts"), local);
    }

    @Test
    void realAwsAddsIamAndEc2AndTheTemplateOnlyWithAnImage() {
        AwsTarget real = new AwsTarget(false, null, Region.EU_WEST_1, null, null, false);
        List<String> withImage = keys(real, compute(TEMPLATE, null));
        assertEquals(List.of("sqs:dlq", "sqs:request", "sqs:response", "s3:input", "s3:output", "s3:artifacts",
                AppTierRole.KEY, WebTierUser.KEY, AppSecurityGroup.KEY, AppImage.KEY, AppLaunchTemplate.KEY, AppWorkers.KEY), withImage);
        List<String> withoutImage = keys(real, compute(null, null));
        assertFalse(withoutImage.contains(AppLaunchTemplate.KEY));
        assertTrue(withoutImage.contains(AppSecurityGroup.KEY));
        assertTrue(withoutImage.contains(AppWorkers.KEY), "teardown still ends the workers");
        assertTrue(withoutImage.contains(AppImage.KEY), "teardown still finds baked images by tag");
    }

    @Test
    void aBakedImageComesBeforeTheTemplateThatLaunchesIt() {
        AwsTarget real = new AwsTarget(false, null, Region.EU_WEST_1, null, null, false);
        try (AwsClients aws = new AwsClients(real)) {
            Graph graph = Graph.of(AwsStack.resources(aws, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS, compute(BAKED, BAKE)));
            assertTrue(graph.dependenciesOf(AppLaunchTemplate.KEY).contains(AppImage.KEY));
            assertEquals(java.util.Set.of(S3Bucket.keyFor(AwsStack.ARTIFACTS), AppTierRole.KEY, AppSecurityGroup.KEY),
                    graph.dependenciesOf(AppImage.KEY), "the builder fetches the jar with the workers' profile, in their group");
        }
        try (AwsClients aws = new AwsClients(real)) {
            Graph given = Graph.of(AwsStack.resources(aws, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS, compute(TEMPLATE, null)));
            assertFalse(given.dependenciesOf(AppLaunchTemplate.KEY).contains(AppImage.KEY), "a given AMI needs no bake");
        }
    }

    @Test
    void iamClientNamesItsPartitionsGlobalRegion() {
        assertEquals(Region.AWS_GLOBAL, AwsClients.iamRegion(Region.EU_WEST_1));
        assertEquals(Region.AWS_CN_GLOBAL, AwsClients.iamRegion(Region.CN_NORTH_1));
        assertEquals(Region.AWS_US_GOV_GLOBAL, AwsClients.iamRegion(Region.US_GOV_WEST_1));
    }

    @Test
    void localClientsRefuseIamAndEc2() {
        try (AwsClients aws = new AwsClients(AwsTarget.local(LOOPBACK, LOOPBACK))) {
            assertTrue(assertThrows(IllegalStateException.class, aws::iam).getMessage().contains("only used with a real AWS target"));
            assertThrows(IllegalStateException.class, aws::ec2);
        }
    }
}
