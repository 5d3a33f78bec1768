package dev.hybrid.cli.targets;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.cli.output.Terminal;
import dev.hybrid.cli.service.Canary;
import dev.hybrid.cli.service.WebHealthWait;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How up ends when the web tier does not come up: what is printed, recorded and returned, with the wait stood in for. */
class ServiceCheckTest {
    private static final URI WEB = URI.create("http://203.0.113.10:8080/");
    private static final List<String> TAIL = List.of("[  3.1] cloud-init: AWS_SECRET_ACCESS_KEY=[REDACTED]", "hybrid-web: cannot reach SQS");

    @TempDir
    Path stackDir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> asked = new ArrayList<>();

    private Console console() {
        return new Console(new PrintWriter(out, true), new PrintWriter(err, true), false, false, Map.of(), Terminal.system(), "s1");
    }

    private static Target.Up request(boolean waitHealthy, boolean canary) {
        return new Target.Up(LocalSettings.defaults(), waitHealthy, Duration.ofSeconds(300), false, canary, Duration.ofSeconds(300));
    }

    private ServiceCheck.Outcome run(Target.Up request, WebHealthWait.Result health) {
        return ServiceCheck.run(request, WEB, web -> {
            asked.add("health " + web);
            return health;
        }, () -> {
            asked.add("console");
            return TAIL;
        }, stackDir);
    }

    @Test
    void aWebTierThatNeverTurnsHealthyIsAFailedCanaryWithTheConsoleTailAndExitThree() {
        WebHealthWait.Result timedOut = new WebHealthWait.Result(WebHealthWait.Outcome.TIMED_OUT,
                "the web tier at " + WEB + " was not healthy within 300 s (last: HTTP 503 {\"sqs\":false})");

        ServiceCheck.Outcome outcome = run(request(true, true), timedOut);
        outcome.print(console());

        assertEquals(ExitCodes.CANARY_FAILED, outcome.exitCode());
        assertEquals(3, outcome.exitCode());
        assertEquals(List.of("health " + WEB, "console"), asked);
        assertEquals(Canary.Failure.UNHEALTHY, outcome.canary().failure());
        assertEquals(List.of("hybrid: canary failed (unhealthy): " + timedOut.message() + "; the stack's resources stay, so that you can look"),
                err.toString().lines().toList(), "one line on stderr");
        assertTrue(out.toString().contains("the server's console log (last 2 lines, secrets redacted):\n  | [  3.1] cloud-init: "
                + "AWS_SECRET_ACCESS_KEY=[REDACTED]\n  | hybrid-web: cannot reach SQS\n"), out.toString());
        assertEquals(Canary.Failure.UNHEALTHY, Canary.last(stackDir).orElseThrow().failure(), "recorded for status");
        ObjectNode document = JsonReports.object();
        outcome.putInto(document);
        assertEquals("timed_out", document.get("health").get("outcome").asText());
        assertEquals("unhealthy", document.get("canary").get("failure").asText());
        assertEquals(2, document.get("consoleTail").size());
    }

    @Test
    void anAddressThatNeverAnsweredIsAnUnreachableCanary() {
        ServiceCheck.Outcome outcome = run(request(true, true), new WebHealthWait.Result(WebHealthWait.Outcome.UNREACHABLE, "did not answer"));
        assertEquals(Canary.Failure.UNREACHABLE, outcome.canary().failure());
        assertEquals(3, outcome.exitCode());
    }

    @Test
    void withoutTheCanaryAFailedWaitIsExitOneAndNothingIsRecorded() {
        ServiceCheck.Outcome outcome = run(request(true, false), new WebHealthWait.Result(WebHealthWait.Outcome.SERVER_FAILED,
                "server srv-1 went to ERROR: No valid host was found."));
        outcome.print(console());
        assertEquals(ExitCodes.FAILED, outcome.exitCode());
        assertNull(outcome.canary());
        assertEquals("hybrid: server srv-1 went to ERROR: No valid host was found.", err.toString().strip());
        assertTrue(out.toString().contains("canary    not run: --no-canary"), out.toString());
        assertTrue(Canary.last(stackDir).isEmpty());
    }

    @Test
    void noWaitHealthyAsksNothingAndRunsNoCanary() {
        ServiceCheck.Outcome outcome = run(request(false, true), null);
        assertEquals(ExitCodes.OK, outcome.exitCode());
        assertEquals(List.of(), asked);
        assertNull(outcome.canary());
        assertEquals(WebHealthWait.Outcome.SKIPPED, outcome.health().outcome());
    }
}
