package dev.hybrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every follow-up command the CLI prints can be pasted as it is: it names the stack unless it is the default one. */
class HintsTest {
    @TempDir
    Path stateDir;

    private static Console console(String stack) {
        return new Console(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, false, Map.of(),
                Terminal.system(), stack);
    }

    @Test
    void aHintNamesTheStackOnlyWhenItIsNotTheDefault() {
        assertEquals("hybrid status --local --stack s1", console("s1").command("status --local"));
        assertEquals("hybrid status --local", console("hybrid").command("status --local"));
    }

    @Test
    void statusOfAStackThatDoesNotRunSaysHowToStartThatStack() {
        StringWriter out = new StringWriter();
        int code = HybridMain.commandLine(new HybridMain(Map.of("HYBRID_STATE_DIR", stateDir.toString(), "HYBRID_HOME", stateDir.toString())),
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)).execute("--stack", "s1", "status", "--local");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("'hybrid up --local --stack s1'"), out.toString());
    }
}
