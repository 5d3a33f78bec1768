package dev.hybrid.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.HybridMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code hybrid bench --simulate} runs the autoscaler simulation from its own jar (module scaling-simulation). */
class BenchSimulateTest {

    @Test
    void simulateReportsEveryScenarioAndTheWarmPoolWithBaseCapacityBeatsColdStarts() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HYBRID_HOME", Pipeline.REPO.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HybridMain.commandLine(new HybridMain(env), new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("-o", "json", "bench", "--simulate", "--requests", "100", "--seed", "7");
        assertEquals(0, code, err.toString());

        JsonNode document = new ObjectMapper().readTree(out.toString());
        Map<String, JsonNode> byName = new HashMap<>();
        document.get("scenarios").forEach(result -> byName.put(result.get("scenario").get("name").asText(), result));
        assertTrue(byName.keySet().containsAll(java.util.List.of("ec2 cold", "ec2 warm 20 + base 8", "local cold")), byName.keySet().toString());
        for (JsonNode result : byName.values()) {
            assertTrue(result.get("peakInstances").asInt() <= 20, "never above max: " + result);
            assertEquals(100, result.get("scenario").get("requests").asInt());
        }
        double cold = byName.get("ec2 cold").get("averageLatencyMillis").asDouble();
        double warmAndBase = byName.get("ec2 warm 20 + base 8").get("averageLatencyMillis").asDouble();
        assertTrue(warmAndBase < cold / 10, "warm pool + base capacity " + warmAndBase + " ms vs cold " + cold + " ms");
    }
}
