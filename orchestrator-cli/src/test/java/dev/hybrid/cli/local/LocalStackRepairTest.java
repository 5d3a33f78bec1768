package dev.hybrid.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stack whose web tier or emulators died is half down, and up repairs it rather than saying it already runs. */
class LocalStackRepairTest {
    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    private long sleeper() throws Exception {
        Process process = new ProcessBuilder("sleep", "600").start();
        started.add(process);
        return process.pid();
    }

    private long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private LocalStack stackWith(long webPid, long emulatorPid) {
        LocalStack stack = new LocalStack("s1", Map.of("HYBRID_STATE_DIR", dir.toString(), "HYBRID_HOME", dir.toString()));
        new LocalRecord("s1", "http://127.0.0.1:8080", webPid, emulatorPid, 8080, "http://127.0.0.1:1", "http://127.0.0.1:2",
                System.currentTimeMillis(), null).write(stack.layout().record());
        return stack;
    }

    @Test
    void aStackWithOneDeadProcessIsHalfDown() throws Exception {
        LocalStack webDead = stackWith(deadPid(), sleeper());
        assertEquals(8080, webDead.halfDown().orElseThrow().webPort(), "the web tier died, the emulators run");
        LocalStack emulatorsDead = stackWith(sleeper(), deadPid());
        assertTrue(emulatorsDead.halfDown().isPresent(), "the emulators died, the web tier runs");
    }

    @Test
    void aWholeOrAWhollyStoppedStackIsNotHalfDown() throws Exception {
        assertTrue(stackWith(sleeper(), sleeper()).halfDown().isEmpty(), "both run");
        assertTrue(stackWith(deadPid(), deadPid()).halfDown().isEmpty(), "both gone: a plain start, not a repair");
    }
}
