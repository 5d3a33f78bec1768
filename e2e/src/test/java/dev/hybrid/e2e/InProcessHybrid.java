package dev.hybrid.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.HybridMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The {@code hybrid} command run inside the test's JVM as a user runs it, over this checkout's jars. */
final class InProcessHybrid {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private InProcessHybrid() {
    }

    /** This checkout's jars, and a state directory of the test's own. */
    static Map<String, String> localEnv(Path state) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HYBRID_HOME", Pipeline.REPO.toString());
        env.put("HYBRID_STATE_DIR", state.toString());
        env.remove("HYBRID_URL");
        return env;
    }

    static Run hybrid(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HybridMain.commandLine(new HybridMain(env), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
