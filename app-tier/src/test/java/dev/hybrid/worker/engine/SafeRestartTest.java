package dev.hybrid.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeRestartTest {
    @Test
    void theRestartedCommandRunsWithOneDnnLimitedToSse41AndItsExitCodeIsReturned(@TempDir Path dir) throws Exception {
        Path seen = dir.resolve("isa");
        int code = SafeRestart.run(List.of("sh", "-c", "printf %s \"$DNNL_MAX_CPU_ISA\" > \"$0\"; exit 7", seen.toString()));
        assertEquals(7, code);
        assertEquals("SSE41", Files.readString(seen));
    }

    @Test
    void itRunsThisProcesssOwnCommandLine() {
        List<String> command = SafeRestart.ownCommandLine();
        assertTrue(command.get(0).endsWith("java"), command.get(0));
        assertTrue(command.contains(System.getProperty("java.class.path")) || command.stream().anyMatch(a -> a.endsWith(".jar")),
                String.join(" ", command));
    }
}
