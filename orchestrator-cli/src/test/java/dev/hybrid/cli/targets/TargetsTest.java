package dev.hybrid.cli.targets;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which target the options, the environment and hybrid.yaml choose. */
class TargetsTest {
    @TempDir
    Path dir;

    private Target choose(Map<String, String> extraEnv, String osCloud, String aws, Path config) {
        Map<String, String> env = new HashMap<>(Map.of("HYBRID_STATE_DIR", dir.toString(), "HYBRID_HOME", dir.toString()));
        env.putAll(extraEnv);
        Console console = new Console(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, false, env,
                Terminal.system(), "t1");
        return Targets.choose(console, new TargetSpec(osCloud, aws, null, null, null, config, null));
    }

    private Path hybridYaml(String cloud) throws Exception {
        return Files.writeString(dir.resolve("hybrid.yaml"), "openstack:\n  cloud: " + cloud + "\n");
    }

    @Test
    void theOptionsChooseAsBefore() {
        assertInstanceOf(LocalTarget.class, choose(Map.of(), "local", "local", null));
        assertInstanceOf(LocalWebTarget.class, choose(Map.of(), "local", "prod", null));
        assertInstanceOf(LocalWebTarget.class, choose(Map.of(), "local", null, null), "the default credential chain is real AWS too");
        assertInstanceOf(CloudTarget.class, choose(Map.of(), "devstack-lite", "local", null));
        assertInstanceOf(CloudTarget.class, choose(Map.of(), null, "local", null), "AWS alone");
    }

    @Test
    void osCloudLocalInTheEnvironmentIsALocalOpenStackSide() {
        assertInstanceOf(LocalTarget.class, choose(Map.of("OS_CLOUD", "local"), null, "local", null));
        assertInstanceOf(LocalWebTarget.class, choose(Map.of("OS_CLOUD", "local"), null, "prod", null));
        assertInstanceOf(CloudTarget.class, choose(Map.of("OS_CLOUD", "local"), "devstack-lite", "local", null), "--os-cloud wins");
    }

    @Test
    void openstackCloudLocalInHybridYamlIsALocalOpenStackSide() throws Exception {
        Path config = hybridYaml("local");
        assertInstanceOf(LocalTarget.class, choose(Map.of(), null, "local", config));
        assertInstanceOf(LocalWebTarget.class, choose(Map.of(), null, "prod", config));
        assertInstanceOf(CloudTarget.class, choose(Map.of("OS_CLOUD", "devstack-lite"), null, "local", config), "OS_CLOUD wins over the file");
        assertInstanceOf(CloudTarget.class, choose(Map.of(), "devstack-lite", "local", config), "--os-cloud wins over the file");
    }

    @Test
    void everyTargetReadsAndChecksTheGivenConfigurationBeforeItActs() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        Path directory = Files.createDirectories(dir.resolve("a-directory"));
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "aws:\n  scaling:\n    max: many\n");
        for (Path config : List.of(missing, directory, bad)) {
            for (String[] sides : new String[][] {{"local", "local"}, {"local", "prod"}, {null, "local"}}) {
                var e = assertThrows(dev.hybrid.cli.config.ConfigurationException.class, () -> choose(Map.of(), sides[0], sides[1], config),
                        config + " with --os-cloud " + sides[0] + " --aws " + sides[1]);
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }
}
