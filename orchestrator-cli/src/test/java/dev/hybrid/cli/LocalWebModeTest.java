package dev.hybrid.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.aws.AppLaunchTemplate;
import dev.hybrid.cli.aws.WebTierCredentials;
import dev.hybrid.cli.aws.WebTierUser;
import dev.hybrid.cli.engine.Leftover;
import dev.hybrid.cli.engine.Operation;
import dev.hybrid.cli.engine.WalkReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --os-cloud local --aws PROFILE} up to the point where the web tier would start, with the walk stood in for:
 * what is refused, and when nothing is started. The process itself is started in e2e's LocalWebModeLifecycleTest,
 * where the web-tier jar is built before the test.
 */
class LocalWebModeTest {
    private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEYxyz";

    @TempDir
    Path state;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private HybridMain main(String... args) {
        HybridMain main = new HybridMain(Map.of("HYBRID_STATE_DIR", state.toString(), "HYBRID_HOME", state.toString(),
                "AWS_REGION", "eu-west-1"));
        HybridMain.commandLine(main, new PrintWriter(out, true), new PrintWriter(err, true)).parseArgs(args);
        return main;
    }

    private static TargetOptions targets(String osCloud, String aws) {
        TargetOptions targets = new TargetOptions();
        targets.osCloud = osCloud;
        targets.aws = aws;
        return targets;
    }

    /** Stands in for up's walk and records that it ran. */
    private static final class Steps implements LocalWebMode.UpSteps {
        final WalkReport report;
        final List<String> calls = new ArrayList<>();

        Steps(WalkReport report) {
            this.report = report;
        }

        @Override
        public WalkReport walk(TargetOptions targets) {
            calls.add("walk");
            return report;
        }

        @Override
        public Optional<WebTierCredentials> createdKey() {
            return Optional.empty();
        }

        @Override
        public WebHealthWait.Result waitHealthy(URI web) {
            calls.add("health");
            return new WebHealthWait.Result(WebHealthWait.Outcome.HEALTHY, "ok");
        }
    }

    private static WalkReport report(Map<String, Map<String, String>> outputs, List<Leftover> leftovers) {
        return new WalkReport(Operation.UP, "s1", "d1", List.of(), outputs, leftovers, Duration.ZERO);
    }

    private static Map<String, Map<String, String>> outputsWithKey() {
        return Map.of(WebTierUser.KEY, Map.of(WebTierUser.ACCESS_KEY_ID.name(), "AKIDWEBTIER000000001"),
                AppLaunchTemplate.KEY, Map.of(AppLaunchTemplate.ID.name(), "lt-0123456789abcdef0"));
    }

    @Test
    void onlyALocalOpenStackSideWithARealAwsSideIsThisMode() {
        assertTrue(LocalWebMode.wanted(targets("local", "prod")));
        assertTrue(LocalWebMode.wanted(targets("local", null)), "the default credential chain is real AWS too");
        assertFalse(LocalWebMode.wanted(targets("local", "local")), "both local is local mode");
        assertFalse(LocalWebMode.wanted(targets("devstack-lite", "local")));
        assertFalse(LocalWebMode.wanted(targets("devstack-lite", "prod")));
        TargetOptions both = targets(null, null);
        both.local = true;
        assertFalse(LocalWebMode.wanted(both));
    }

    @Test
    void anIncompleteAwsSideStartsNoWebTier() throws Exception {
        Steps steps = new Steps(report(outputsWithKey(), List.of(new Leftover(WebTierUser.KEY, "iam-user", "u", "AccessDenied"))));
        int code = new LocalWebMode(main("--stack", "s1"), targets("local", null)).up(new LocalOptions(), steps);
        assertEquals(ExitCodes.FAILED, code);
        assertEquals(List.of("walk"), steps.calls, "no health wait: nothing was started");
        assertTrue(err.toString().contains("the local web tier was not started"), err.toString());
        assertFalse(Files.exists(state.resolve("local-web/s1/web.json")));
    }

    @Test
    void withoutTheSecretOfTheKeyIamHasUpSaysHowToGetOne() {
        Steps steps = new Steps(report(outputsWithKey(), List.of()));
        LocalWebMode mode = new LocalWebMode(main("--stack", "s1"), targets("local", null));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> mode.up(new LocalOptions(), steps));
        assertTrue(e.getMessage().contains("--rotate-keys"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertFalse(Files.exists(state.resolve("local-web/s1/web.json")), "nothing started");
    }

    @Test
    void optionsThatOnlyLocalWorkersReadAreRefusedBeforeAnythingIsMade() {
        Steps steps = new Steps(report(outputsWithKey(), List.of()));
        LocalOptions options = new LocalOptions();
        options.model = "djl://ai.djl.pytorch/resnet";
        LocalWebMode mode = new LocalWebMode(main("--stack", "s1"), targets("local", null));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> mode.up(options, steps));
        assertTrue(e.getMessage().startsWith("--base-workers, --model, --labels and --profile are for --local only"), e.getMessage());
        assertEquals(List.of(), steps.calls, "refused before the walk");
        LocalOptions tooMany = new LocalOptions();
        tooMany.workersMax = 21;
        assertThrows(ConfigurationException.class, () -> mode.up(tooMany, steps));
    }

    @Test
    void planSaysItWouldStartTheWebTierAndStatusThatNoneIsRecorded() {
        LocalWebMode mode = new LocalWebMode(main("--stack", "s1"), targets("local", null));
        assertTrue(mode.planLine().startsWith("local web tier: up would start hybrid-web-tier.jar here on 127.0.0.1"), mode.planLine());
        ObjectNode plan = JsonReports.object();
        mode.plan(plan);
        assertEquals("start", plan.get("localWeb").get("action").asText());
        ObjectNode status = JsonReports.object();
        mode.status(status);
        assertFalse(status.get("localWeb").get("recorded").asBoolean());
        assertTrue(mode.statusLine().startsWith("local web tier not started"), mode.statusLine());
    }

    @Test
    void aStoredKeyForAnotherKeyIdIsNotUsedAndItsSecretIsNeverPrinted() throws Exception {
        Path file = state.resolve("local-web/s1/web-tier.credentials");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[default]\naws_access_key_id = AKIDOLDKEY0000000000\naws_secret_access_key = " + SECRET + "\n");
        Steps steps = new Steps(report(outputsWithKey(), List.of()));
        LocalWebMode mode = new LocalWebMode(main("--stack", "s1"), targets("local", null));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> mode.up(new LocalOptions(), steps));
        assertFalse(e.getMessage().contains(SECRET));
        assertFalse(out.toString().contains(SECRET) || err.toString().contains(SECRET));
    }
}
