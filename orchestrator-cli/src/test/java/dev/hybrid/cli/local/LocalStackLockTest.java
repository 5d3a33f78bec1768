package dev.hybrid.cli.local;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.config.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One up at a time per stack: a second is told so in one line; another stack is not held up. */
class LocalStackLockTest {
    @TempDir
    Path dir;

    private LocalStack stack(String name) {
        return new LocalStack(name, Map.of("HYBRID_STATE_DIR", dir.toString(), "HYBRID_HOME", dir.toString()));
    }

    @Test
    void aSecondUpOfTheSameStackIsRefusedInOneLineUntilTheFirstIsDone() throws Exception {
        try (LocalStack.UpLock first = stack("s1").lockForUp(Duration.ZERO)) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> stack("s1").lockForUp(Duration.ofMillis(300)));
            assertTrue(e.getMessage().startsWith("another 'hybrid up' holds stack s1"), e.getMessage());
            try (LocalStack.UpLock other = stack("s2").lockForUp(Duration.ZERO)) {
                // another stack has a lock of its own
            }
        }
        try (LocalStack.UpLock again = stack("s1").lockForUp(Duration.ZERO)) {
            // released by the first
        }
    }
}
