package dev.hybrid.cli.commands;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.cli.HybridMain;
import dev.hybrid.cli.HybridMainTest;
import dev.hybrid.cli.output.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code hybrid image} refuses before it calls any cloud. */
class ImageCommandTest {
    private HybridMainTest.Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HybridMain.commandLine(new HybridMain(Map.of()), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new HybridMainTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void anUnknownTierIsAUsageError() {
        HybridMainTest.Run run = run("image", "build", "db-tier");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertEquals("hybrid: no tier db-tier: choose app-tier or web-tier", run.err().strip());
    }

    @Test
    void localModeHasNothingToBake() {
        HybridMainTest.Run run = run("image", "build", "web-tier", "--aws", "local");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().startsWith("hybrid: image build bakes on EC2: name a real AWS target with --aws PROFILE"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");
    }

    @Test
    void imageAloneAsksForASubcommandAndHelpListsTheTiers() {
        assertEquals(ExitCodes.USAGE, run("image").exitCode());
        HybridMainTest.Run help = run("image", "build", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("app-tier or web-tier"), help.out());
        assertTrue(help.out().contains("openstack.web_image"), help.out());
    }
}
