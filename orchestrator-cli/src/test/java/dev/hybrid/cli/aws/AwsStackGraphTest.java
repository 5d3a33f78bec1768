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

    private static List<String> keys(AwsTarget target, ComputeOptions compute) {
        try (AwsClients aws = new AwsClients(target)) {
            List<Resource> resources = AwsStack.resources(aws, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS, compute);
            Graph.of(resources); // no unknown dependency, no cycle
            return resources.stream().map(Resource::key).toList();
        }
    }

    @Test
    void localModeHasNoIamOrEc2EvenWhenAskedFor() {
        List<String> local = keys(AwsTarget.local(LOOPBACK, LOOPBACK), new ComputeOptions(null, TEMPLATE, false, new WebTierKeys()));
        assertEquals(List.of("sqs:dlq", "sqs:request", "sqs:response", "s3:input", "s3:output", "s3:artifacts"), local);
    }

    @Test
    void realAwsAddsIamAndEc2AndTheTemplateOnlyWithAnImage() {
        AwsTarget real = new AwsTarget(false, null, Region.EU_WEST_1, null, null, false);
        List<String> withImage = keys(real, new ComputeOptions(null, TEMPLATE, false, new WebTierKeys()));
        assertEquals(List.of("sqs:dlq", "sqs:request", "sqs:response", "s3:input", "s3:output", "s3:artifacts",
                AppTierRole.KEY, WebTierUser.KEY, AppSecurityGroup.KEY, AppLaunchTemplate.KEY, AppWorkers.KEY), withImage);
        List<String> withoutImage = keys(real, new ComputeOptions(null, null, false, new WebTierKeys()));
        assertFalse(withoutImage.contains(AppLaunchTemplate.KEY));
        assertTrue(withoutImage.contains(AppSecurityGroup.KEY));
        assertTrue(withoutImage.contains(AppWorkers.KEY), "teardown still ends the workers");
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
