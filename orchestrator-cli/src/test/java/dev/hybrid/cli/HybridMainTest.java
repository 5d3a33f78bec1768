package dev.hybrid.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.output.Terminal;
import dev.hybrid.localaws.LocalAws;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class HybridMainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalAws local;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startEmulators() {
        local = LocalAws.startInMemory();
    }

    @AfterAll
    static void stopEmulators() {
        local.close();
    }

    /** One run of the command line: its exit code and what it printed. */
    public record Run(int exitCode, String out, String err) {
        public JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private Map<String, String> localEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL_SQS", local.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", local.s3Endpoint().toString());
        env.put("HYBRID_STATE_DIR", stateDir.toString());
        return env;
    }

    private Run run(Map<String, String> env, String... args) {
        return run(new HybridMain(env), args);
    }

    private Run run(HybridMain main, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HybridMain.commandLine(main, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A person at a terminal who gives these answers. */
    private static Terminal answering(String... answers) {
        java.util.Iterator<String> next = List.of(answers).iterator();
        return new Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public String readLine() {
                return next.hasNext() ? next.next() : null;
            }
        };
    }

    @Test
    void teardownAtATerminalAsksFirst() throws Exception {
        assertEquals(0, run(localEnv(), "up", "--aws", "local", "--stack", "cli6").exitCode());
        Run declined = run(new HybridMain(localEnv(), answering("n")), "teardown", "--aws", "local", "--stack", "cli6");
        assertEquals(1, declined.exitCode());
        assertTrue(declined.err().contains("[y/N]") && declined.err().contains("nothing was deleted"), declined.err());
        assertTrue(run(localEnv(), "status", "--aws", "local", "--stack", "cli6", "-o", "json").json().get("deployed").asBoolean());

        Run accepted = run(new HybridMain(localEnv(), answering("yes")), "teardown", "--aws", "local", "--stack", "cli6");
        assertEquals(0, accepted.exitCode(), accepted.err());
        assertFalse(run(localEnv(), "status", "--aws", "local", "--stack", "cli6", "-o", "json").json().get("deployed").asBoolean());

        assertEquals(0, run(localEnv(), "up", "--aws", "local", "--stack", "cli6").exitCode());
        Run forced = run(new HybridMain(localEnv(), answering()), "teardown", "--aws", "local", "--stack", "cli6", "--yes");
        assertEquals(0, forced.exitCode(), forced.err());
        assertFalse(forced.err().contains("[y/N]"));
    }

    @Test
    void teardownThatCannotReachS3RemovesTheQueuesAndExitsWithThree() throws Exception {
        assertEquals(0, run(localEnv(), "up", "--aws", "local", "--stack", "cli7").exitCode());
        Map<String, String> noS3 = localEnv();
        noS3.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:1");
        Run teardown = run(noS3, "teardown", "--aws", "local", "--stack", "cli7", "-o", "json");
        assertEquals(3, teardown.exitCode(), teardown.out() + teardown.err());
        JsonNode document = teardown.json();
        assertEquals(3, document.get("leftovers").size(), document.toString());
        assertEquals("s3-bucket", document.get("leftovers").get(0).get("kind").asText());
        assertTrue(Files.exists(stateDir.resolve("cli7/state.json")), "the cache stays while something is left");
        JsonNode status = run(localEnv(), "status", "--aws", "local", "--stack", "cli7", "-o", "json").json();
        long queues = java.util.stream.StreamSupport.stream(status.get("resources").spliterator(), false)
                .filter(r -> r.get("kind").asText().equals("sqs-queue"))
                .filter(r -> !r.get("changes").get(0).get("action").asText().equals("create")).count();
        assertEquals(0, queues, "every queue was deleted despite S3 failing");
        assertEquals(0, run(localEnv(), "teardown", "--aws", "local", "--stack", "cli7").exitCode());
    }

    @Test
    void upIsIdempotentAndTeardownRemovesTheStack() throws Exception {
        Run up = run(localEnv(), "up", "--aws", "local", "--stack", "cli1", "-o", "json");
        assertEquals(0, up.exitCode(), up.err());
        JsonNode first = up.json();
        assertTrue(first.get("ok").asBoolean());
        String deployment = first.get("deploymentId").asText();
        assertTrue(first.get("settings").get("HYBRID_REQUEST_QUEUE_URL").asText().endsWith("/hybrid-cli1-request-" + deployment));
        assertEquals("hybrid-cli1-input-000000000000-us-east-1", first.get("settings").get("HYBRID_INPUT_BUCKET").asText());
        assertEquals(6, first.get("resources").size());
        assertTrue(Files.exists(stateDir.resolve("cli1/state.json")));
        assertFalse(Files.readString(stateDir.resolve("cli1/state.json")).contains(LocalAws.SECRET_ACCESS_KEY));

        JsonNode second = run(localEnv(), "--stack", "cli1", "-o", "json", "up", "--aws", "local").json();
        assertEquals(deployment, second.get("deploymentId").asText());
        second.get("resources").forEach(r -> assertEquals("keep", r.get("changes").get(0).get("action").asText(), r.toString()));

        Run plan = run(localEnv(), "plan", "--aws", "local", "--stack", "cli1");
        assertEquals(0, plan.exitCode(), plan.err());
        assertTrue(plan.out().contains("6 keep; nothing to do"), plan.out());

        Files.delete(stateDir.resolve("cli1/state.json"));
        Run status = run(localEnv(), "status", "--aws", "local", "--stack", "cli1", "-o", "json");
        assertEquals(0, status.exitCode(), status.err());
        assertEquals(deployment, status.json().get("deploymentId").asText(), "found by tags without the state file");

        Run teardown = run(localEnv(), "teardown", "--aws", "local", "--stack", "cli1");
        assertEquals(0, teardown.exitCode(), teardown.out() + teardown.err());
        assertTrue(teardown.out().contains("6 delete"), teardown.out());
        JsonNode after = run(localEnv(), "status", "--aws", "local", "--stack", "cli1", "-o", "json").json();
        assertFalse(after.get("deployed").asBoolean(), after.toString());
    }

    @Test
    void planOnAnEmptyStackListsCreatesInATable() {
        Run plan = run(localEnv(), "plan", "--aws", "local", "--stack", "cli2");
        assertEquals(0, plan.exitCode(), plan.err());
        assertTrue(plan.out().contains("ACTION"), plan.out());
        assertTrue(plan.out().contains("create   sqs:request"), plan.out());
        assertTrue(plan.out().contains("6 create"), plan.out());
        assertFalse(Files.exists(stateDir.resolve("cli2/state.json")), "plan writes nothing");
    }

    @Test
    void textUpPrintsOneLinePerResource() {
        Run up = run(localEnv(), "up", "--aws", "local", "--stack", "cli3");
        assertEquals(0, up.exitCode(), up.err());
        assertEquals(6, up.out().lines().filter(line -> line.startsWith("  ok ")).count(), up.out());
        assertTrue(up.out().contains("HYBRID_OUTPUT_BUCKET=hybrid-cli3-output-000000000000-us-east-1"), up.out());
        assertEquals(0, run(localEnv(), "teardown", "--aws", "local", "--stack", "cli3", "--yes").exitCode());
    }

    @Test
    void badInputExitsWithTwoAndOneLineWithoutAStackTrace() {
        Run unknown = run(localEnv(), "up", "--bogus");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("hybrid: Unknown option: '--bogus'"), unknown.err());
        assertFalse(unknown.err().contains("\tat "), unknown.err());

        Run stack = run(localEnv(), "plan", "--aws", "local", "--stack", "Bad_Name");
        assertEquals(2, stack.exitCode());
        assertEquals(1, stack.err().lines().count(), stack.err());
        assertTrue(stack.err().contains("not a valid stack name"), stack.err());

        Run noEndpoints = run(Map.of(), "up", "--aws", "local");
        assertEquals(2, noEndpoints.exitCode());
        assertTrue(noEndpoints.err().contains("AWS_ENDPOINT_URL_SQS"), noEndpoints.err());

        Run noProfile = run(Map.of(),
                "plan", "--aws", "no-such-profile-x");
        assertEquals(2, noProfile.exitCode(), noProfile.err());
        assertTrue(noProfile.err().contains("no AWS profile named no-such-profile-x"), noProfile.err());

        Run noCommand = run(localEnv());
        assertEquals(2, noCommand.exitCode());

        Run tooManyBase = run(localEnv(), "up", "--local", "--stack", "cli9", "--base-workers", "30");
        assertEquals(2, tooManyBase.exitCode());
        assertEquals("hybrid: --base-workers must be between 0 and 20, not 30", tooManyBase.err().lines().findFirst().orElse(""));
    }

    @Test
    void anUnreachableEndpointFailsWithExitOneAndAJsonDocument() throws Exception {
        Map<String, String> env = localEnv();
        env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1");
        Run up = run(env, "up", "--aws", "local", "--stack", "cli4", "-o", "json");
        assertEquals(1, up.exitCode(), up.out() + up.err());
        JsonNode document = up.json();
        assertFalse(document.get("ok").asBoolean());
        assertFalse(up.err().contains("\tat "), up.err());
        assertTrue(up.err().contains("127.0.0.1:1"), up.err());
        assertEquals(0, run(localEnv(), "teardown", "--aws", "local", "--stack", "cli4").exitCode());
    }

    @Test
    void verboseShowsTheStackTrace() {
        Map<String, String> env = localEnv();
        env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1");
        Run up = run(env, "status", "--aws", "local", "--stack", "cli5", "-v");
        assertEquals(1, up.exitCode());
        assertTrue(up.err().contains("\tat "), up.err());
    }

    @Test
    void versionHelpAndCompletion() {
        Run version = run(Map.of(), "--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("hybrid "), version.out());
        Run help = run(Map.of(), "--help");
        assertEquals(0, help.exitCode());
        for (String command : new String[] {"up", "plan", "status", "teardown", "classify", "bench", "init", "generate-completion"}) {
            assertTrue(help.out().contains(command), command + " in " + help.out());
        }
        Run completion = run(Map.of(), "generate-completion");
        assertEquals(0, completion.exitCode());
        assertTrue(completion.out().contains("complete -F"), completion.out());
    }

    @Test
    void initWritesACommentedStackFileAndRefusesToOverwriteIt() throws Exception {
        java.nio.file.Path file = stateDir.resolve("init/hybrid.yaml");
        Run first = run(localEnv(), "init", "--file", file.toString());
        assertEquals(0, first.exitCode(), first.err());
        String text = Files.readString(file);
        assertTrue(text.contains("reply: label"), text);
        assertTrue(text.contains("# "), "commented");
        Run again = run(localEnv(), "init", "--file", file.toString());
        assertEquals(2, again.exitCode(), again.err());
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals(0, run(localEnv(), "init", "--file", file.toString(), "--force").exitCode());
    }

    @Test
    void osCloudLocalInTheEnvironmentMakesStatusAskTheLocalStack() throws Exception {
        Map<String, String> env = localEnv();
        env.put("OS_CLOUD", "local");
        Run status = run(env, "status", "--aws", "local", "--stack", "cli10", "-o", "json");
        assertEquals(0, status.exitCode(), status.err());
        assertFalse(status.json().get("running").asBoolean(), status.out());
        assertNull(status.json().get("deployed"), "the local stack's document, not the clouds': " + status.out());
    }

    @Test
    void openstackCloudLocalInHybridYamlMakesStatusAskTheLocalStack() throws Exception {
        java.nio.file.Path config = Files.writeString(stateDir.resolve("hybrid.yaml"), "openstack:\n  cloud: local\n");
        Run status = run(localEnv(), "status", "--aws", "local", "--stack", "cli11", "-c", config.toString());
        assertEquals(0, status.exitCode(), status.err());
        assertEquals("no local stack cli11 runs; start it with 'hybrid up --local --stack cli11'", status.out().strip());
    }
}
