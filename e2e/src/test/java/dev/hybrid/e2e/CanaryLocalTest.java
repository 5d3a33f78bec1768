package dev.hybrid.e2e;

import static dev.hybrid.e2e.InProcessHybrid.hybrid;
import static dev.hybrid.e2e.InProcessHybrid.localEnv;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import dev.hybrid.e2e.InProcessHybrid.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up --local} ends with a canary through the web tier's URL, over the real jars: one that passes (label,
 * latency, worker, the untrained model said loudly), {@code --no-canary}, and one that fails (no worker may start, so
 * no answer comes: exit 3, one line, the processes stay); {@code status} shows the last one in text and JSON.
 */
class CanaryLocalTest {
    @Test
    void upEndsWithACanaryThatStatusShowsAndNoCanarySkipsIt(@TempDir Path state) throws Exception {
        Map<String, String> env = localEnv(state);
        String stack = "--stack=canaryok";
        try {
            Run skipped = hybrid(env, "up", "--local", "-d", "--no-canary", "--port", Integer.toString(Pipeline.freePort()),
                    "--workers-max", "1", stack, "-o", "json");
            assertEquals(0, skipped.exitCode(), skipped.out() + skipped.err());
            assertTrue(skipped.json().get("canary").isNull(), skipped.out());
            assertEquals("--no-canary", skipped.json().get("canarySkipped").asText());
            assertEquals("healthy", skipped.json().get("health").get("outcome").asText(), skipped.out());
            Run none = hybrid(env, "status", "--local", stack);
            assertTrue(none.out().contains("canary    none recorded"), none.out());
            assertFalse(Files.exists(state.resolve("local/canaryok/canary.json")));

            // The stack runs: this up changes nothing and still ends with a canary.
            Run up = hybrid(env, "up", "--local", "-d", stack, "-o", "json");
            assertEquals(0, up.exitCode(), up.out() + up.err());
            assertFalse(up.json().get("changed").asBoolean());
            JsonNode canary = up.json().get("canary");
            assertTrue(canary.get("ok").asBoolean(), canary.toString());
            assertFalse(canary.get("label").asText().isBlank(), canary.toString());
            assertTrue(canary.get("worker").asText().matches(".+-\\d+"), "a local worker's id is host-pid: " + canary);
            assertEquals("untrained-resnet18", canary.get("model").asText());
            assertTrue(canary.get("untrained").asBoolean());
            assertFalse(canary.get("cached").asBoolean(), "an image drawn for this canary: no cache can answer it");
            assertTrue(canary.get("millis").asLong() > 0, canary.toString());
            assertEquals(up.json().get("url").asText(), canary.get("url").asText());

            System.out.printf("figure: canary latency, local, the first worker started for it: %d ms%n", canary.get("millis").asLong());
            JsonNode status = hybrid(env, "status", "--local", stack, "-o", "json").json();
            assertEquals(canary, status.get("canary"), "status shows the canary up recorded");
            Run text = hybrid(env, "status", "--local", stack);
            assertTrue(text.out().contains("canary    ok at " + canary.get("at").asText() + ": label " + canary.get("label").asText()
                    + " in " + canary.get("millis").asLong() + " ms"), text.out());
            assertTrue(text.out().contains("  worker  " + canary.get("worker").asText()), text.out());
            assertTrue(text.out().contains("untrained-resnet18   <-- UNTRAINED MODEL"), text.out());

            Run again = hybrid(env, "up", "--local", "-d", stack);
            assertEquals(0, again.exitCode(), again.out() + again.err());
            assertTrue(again.out().contains("canary    ok at "), again.out());
            assertTrue(again.out().contains("<-- UNTRAINED MODEL"), again.out());
            JsonNode warm = hybrid(env, "status", "--local", stack, "-o", "json").json().get("canary");
            System.out.printf("figure: canary latency, local, a worker running: %d ms%n", warm.get("millis").asLong());
        } finally {
            hybrid(env, "teardown", "--local", stack);
        }
    }

    @Test
    void aCanaryThatGetsNoAnswerExitsThreeWithOneLineAndTheStackStays(@TempDir Path state) throws Exception {
        Map<String, String> env = localEnv(state);
        String stack = "--stack=canaryno";
        try {
            // No worker may ever start, so the canary image is never answered.
            Run up = hybrid(env, "up", "--local", "-d", "--port", Integer.toString(Pipeline.freePort()), "--workers-max", "0",
                    "--canary-timeout", "3", stack);
            assertEquals(3, up.exitCode(), up.out() + up.err());
            assertEquals(1, up.err().lines().filter(line -> line.startsWith("hybrid: ")).count(), up.err());
            assertTrue(up.err().contains("hybrid: canary failed (timeout): no answer to the canary image within 3 s"), up.err());
            assertFalse(up.err().contains("\tat "), "no stack trace: " + up.err());
            assertTrue(up.out().contains("canary    FAILED (timeout)"), up.out());

            JsonNode status = hybrid(env, "status", "--local", stack, "-o", "json").json();
            assertTrue(status.get("running").asBoolean(), "the stack stays for the user to look at: " + status);
            assertFalse(status.get("canary").get("ok").asBoolean());
            assertEquals("timeout", status.get("canary").get("failure").asText());
            Run text = hybrid(env, "status", "--local", stack);
            assertTrue(text.out().contains("canary    FAILED (timeout) at "), text.out());
        } finally {
            hybrid(env, "teardown", "--local", stack);
        }
    }
}
