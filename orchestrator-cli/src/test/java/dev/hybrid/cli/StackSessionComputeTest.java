package dev.hybrid.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.cli.aws.ComputeOptions;
import dev.hybrid.cli.aws.WebTierKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackSessionComputeTest {
    @Test
    void imageAndInstanceTypeComeFromTheEnvironment() {
        ComputeOptions options = StackSession.computeOptions(Map.of("HYBRID_APP_AMI", " ami-0abc ", "HYBRID_APP_INSTANCE_TYPE", "c6i.large",
                "HYBRID_VPC_ID", "vpc-9"), true, new WebTierKeys());
        assertEquals("ami-0abc", options.launchTemplate().imageId());
        assertEquals("c6i.large", options.launchTemplate().instanceType());
        assertEquals("vpc-9", options.vpcId());
        assertTrue(options.rotateKeys());
    }

    @Test
    void withoutAnImageThereIsNoLaunchTemplate() {
        ComputeOptions options = StackSession.computeOptions(Map.of(), false, new WebTierKeys());
        assertNull(options.launchTemplate());
        assertNull(options.vpcId());
    }

    @Test
    void aMalformedImageIsOneClearConfigurationError() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> StackSession.computeOptions(Map.of("HYBRID_APP_AMI", "ubuntu"), false, new WebTierKeys()));
        assertEquals("HYBRID_APP_AMI / HYBRID_APP_INSTANCE_TYPE: the app-tier image must be an AMI id like ami-0123456789abcdef0, not ubuntu",
                e.getMessage());
    }
}
