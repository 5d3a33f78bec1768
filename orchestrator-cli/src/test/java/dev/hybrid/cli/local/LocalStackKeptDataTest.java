package dev.hybrid.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data kept by teardown --keep-data is reached by the next up: the emulators come back on the ports the state names. */
class LocalStackKeptDataTest {
    @TempDir
    Path dir;

    @Test
    void emulatorsStartedAgainAfterAKeepDataTeardownTakeTheirFormerPorts() throws Exception {
        Map<String, String> env = Map.of("HYBRID_STATE_DIR", dir.resolve("state").toString(), "HYBRID_HOME", dir.toString());
        // The emulators need no jar, but an up needs both: empty stand-ins pass the check.
        Files.createDirectories(dir.resolve("web-tier/target"));
        Files.createDirectories(dir.resolve("app-tier/target"));
        Files.createFile(dir.resolve("web-tier/target/hybrid-web-tier.jar"));
        Files.createFile(dir.resolve("app-tier/target/hybrid-app-tier.jar"));
        LocalStack stack = new LocalStack("kept", env);
        // Ports below the kernel's ephemeral range, which a port-0 bind never picks: only the kept file can name them.
        int sqsPort = freePortBelowEphemeral(20_000);
        int s3Port = freePortBelowEphemeral(sqsPort + 1);
        new LocalStack.EmulatorPorts(sqsPort, s3Port).write(stack.emulatorPortsFile());
        LocalStack.Emulators first = stack.startEmulators();
        LocalStack.Emulators second = null;
        try {
            assertEquals(sqsPort, first.sqs().getPort());
            assertEquals(s3Port, first.s3().getPort());
            assertTrue(ChildProcess.stop(first.pid(), Duration.ofSeconds(30)));
            assertTrue(stack.teardown(true).stillRunning().isEmpty());
            second = stack.startEmulators();
            assertEquals(first.sqs(), second.sqs());
            assertEquals(first.s3(), second.s3());
        } finally {
            ChildProcess.stop(first.pid(), Duration.ofSeconds(10));
            if (second != null) {
                ChildProcess.stop(second.pid(), Duration.ofSeconds(30));
            }
        }
    }

    private static int freePortBelowEphemeral(int from) {
        for (int port = from; port < 30_000; port++) {
            if (LocalStack.free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + from + " and 30000");
    }
}
