package dev.hybrid.cli.targets;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.cli.aws.AppImage;
import dev.hybrid.cli.aws.ComputeOptions;
import dev.hybrid.cli.aws.WebTierKeys;
import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.config.StackConfig;
import dev.hybrid.cli.engine.ProgressBars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSessionComputeTest {
    private static final StackConfig CONFIG = StackConfig.defaults();

    @TempDir
    Path dir;

    @Test
    void aGivenImageIsLaunchedAsItIsWithTheConfiguredInstanceType() {
        StackConfig config = new StackConfig(CONFIG.stack(), CONFIG.openstack(), new StackConfig.Aws("us-east-1", "c6i.large", CONFIG.aws().scaling()),
                CONFIG.model(), CONFIG.reply());
        ComputeOptions options = StackSession.computeOptions(Map.of("HYBRID_APP_AMI", " ami-0abc ", "HYBRID_VPC_ID", "vpc-9"), config,
                dir.resolve("hybrid-app-tier.jar"), new StackSession.Options(ProgressBars.NONE, true, false), new WebTierKeys());
        assertEquals("ami-0abc", options.launchTemplate().imageId());
        assertEquals("c6i.large", options.launchTemplate().instanceType());
        assertNull(options.appImage(), "nothing to bake");
        assertEquals("vpc-9", options.vpcId());
        assertTrue(options.rotateKeys());
    }

    @Test
    void withoutAnImageTheStackBakesOneFromTheWorkerJarAndTheConfiguredModel() throws Exception {
        Path jar = Files.write(dir.resolve("hybrid-app-tier.jar"), new byte[] {1});
        ComputeOptions options = StackSession.computeOptions(Map.of(), CONFIG, jar, new StackSession.Options(ProgressBars.NONE, false, true),
                new WebTierKeys());
        assertTrue(options.launchTemplate().baked());
        assertEquals(new AppImage.Inputs(jar, "djl://ai.djl.pytorch/resnet", "cse546", "t3.medium"), options.appImage());
        assertTrue(options.keepImages());
    }

    @Test
    void withNeitherImageNorJarThereIsNoLaunchTemplate() {
        ComputeOptions options = StackSession.computeOptions(Map.of(), CONFIG, dir.resolve("missing.jar"), StackSession.Options.NONE,
                new WebTierKeys());
        assertNull(options.launchTemplate());
        assertNull(options.appImage());
        assertNull(options.vpcId());
    }

    @Test
    void aMalformedImageIsOneClearConfigurationError() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StackSession.computeOptions(Map.of("HYBRID_APP_AMI", "ubuntu"),
                CONFIG, dir.resolve("missing.jar"), StackSession.Options.NONE, new WebTierKeys()));
        assertEquals("HYBRID_APP_AMI / aws.instance_type: the app-tier image must be an AMI id like ami-0123456789abcdef0, not ubuntu",
                e.getMessage());
    }
}
