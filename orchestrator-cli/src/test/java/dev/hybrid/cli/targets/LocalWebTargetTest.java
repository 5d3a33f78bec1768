package dev.hybrid.cli.targets;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.aws.AppLaunchTemplate;
import dev.hybrid.cli.aws.WebTierCredentials;
import dev.hybrid.cli.aws.WebTierUser;
import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.engine.Leftover;
import dev.hybrid.cli.engine.Operation;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.cli.output.Terminal;
import dev.hybrid.cli.service.WebHealthWait;
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
class LocalWebTargetTest {
    private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEYxyz";

    @TempDir
    Path state;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private LocalWebTarget target(String stack) {
        Console console = new Console(new PrintWriter(out, true), new PrintWriter(err, true), false, false,
                Map.of("HYBRID_STATE_DIR", state.toString(), "HYBRID_HOME", state.toString(), "AWS_REGION", "eu-west-1"),
                Terminal.system(), stack);
        return new LocalWebTarget(console, new TargetSpec("local", null, null, null, null, null, null));
    }

    /** Stands in for up's walk and records that it ran. */
    private static final class Steps implements StackUp {
        final WalkReport report;
        final List<String> calls = new ArrayList<>();

        Steps(WalkReport report) {
            this.report = report;
        }

        @Override
        public WalkReport walk() {
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

        @Override
        public Target.Up request() {
            return new Target.Up(LocalSettings.defaults(), true, Duration.ofSeconds(1), false, false, Duration.ofSeconds(1));
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
    void anIncompleteAwsSideStartsNoWebTier() throws Exception {
        Steps steps = new Steps(report(outputsWithKey(), List.of(new Leftover(WebTierUser.KEY, "iam-user", "u", "AccessDenied"))));
        int code = target("s1").up(LocalSettings.defaults(), steps);
        assertEquals(ExitCodes.FAILED, code);
        assertEquals(List.of("walk"), steps.calls, "no health wait: nothing was started");
        assertTrue(err.toString().contains("the local web tier was not started"), err.toString());
        assertFalse(Files.exists(state.resolve("local-web/s1/web.json")));
    }

    @Test
    void withoutTheSecretOfTheKeyIamHasUpSaysHowToGetOne() {
        Steps steps = new Steps(report(outputsWithKey(), List.of()));
        LocalWebTarget mode = target("s1");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> mode.up(LocalSettings.defaults(), steps));
        assertTrue(e.getMessage().contains("--rotate-keys"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertFalse(Files.exists(state.resolve("local-web/s1/web.json")), "nothing started");
    }

    @Test
    void optionsThatOnlyLocalWorkersReadAreRefusedBeforeAnythingIsMade() {
        Steps steps = new Steps(report(outputsWithKey(), List.of()));
        LocalSettings options = LocalSettings.defaults().withModel("djl://ai.djl.pytorch/resnet");
        LocalWebTarget mode = target("s1");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> mode.up(options, steps));
        assertTrue(e.getMessage().startsWith("--base-workers, --model, --labels, --profile and --memory-budget are for --local only"), e.getMessage());
        assertEquals(List.of(), steps.calls, "refused before the walk");
        LocalSettings tooMany = LocalSettings.defaults().withWorkersMax(21);
        assertThrows(ConfigurationException.class, () -> mode.up(tooMany, steps));
    }

    @Test
    void planSaysItWouldStartTheWebTierAndStatusThatNoneIsRecorded() {
        LocalWebTarget mode = target("s1");
        assertTrue(mode.planLine().startsWith("local web tier: up would start hybrid-web-tier.jar here on 127.0.0.1"), mode.planLine());
        ObjectNode plan = JsonReports.object();
        mode.planInto(plan);
        assertEquals("start", plan.get("localWeb").get("action").asText());
        ObjectNode status = JsonReports.object();
        mode.statusInto(status);
        assertFalse(status.get("localWeb").get("recorded").asBoolean());
        assertTrue(mode.statusLine().startsWith("local web tier not started"), mode.statusLine());
    }

    @Test
    void aStoredKeyForAnotherKeyIdIsNotUsedAndItsSecretIsNeverPrinted() throws Exception {
        Path file = state.resolve("local-web/s1/web-tier.credentials");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[default]\naws_access_key_id = AKIDOLDKEY0000000000\naws_secret_access_key = " + SECRET + "\n");
        Steps steps = new Steps(report(outputsWithKey(), List.of()));
        LocalWebTarget mode = target("s1");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> mode.up(LocalSettings.defaults(), steps));
        assertFalse(e.getMessage().contains(SECRET));
        assertFalse(out.toString().contains(SECRET) || err.toString().contains(SECRET));
    }
}
