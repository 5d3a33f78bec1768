package dev.hybrid.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentProcessTest {
    @Test
    void nothingIsWatchedWithoutTheVariable() {
        assertFalse(ParentProcess.whenGone(Map.of(), () -> { throw new AssertionError("nothing to watch"); }));
        assertFalse(ParentProcess.whenGone(Map.of(ParentProcess.PARENT_PID_ENV, " "), () -> { throw new AssertionError("nothing to watch"); }));
    }

    @Test
    void aValueThatIsNotAPidIsOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParentProcess.whenGone(Map.of(ParentProcess.PARENT_PID_ENV, "web"), () -> { }));
        assertEquals("HYBRID_PARENT_PID must be a process id, not 'web'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParentProcess.whenGone(Map.of(ParentProcess.PARENT_PID_ENV, "-4"), () -> { }));
    }

    @Test
    void runsOnceTheNamedProcessIsKilledAndAtOnceWhenItIsAlreadyGone() throws Exception {
        Process parent = new ProcessBuilder("sleep", "600").start();
        CompletableFuture<Void> gone = new CompletableFuture<>();
        assertTrue(ParentProcess.whenGone(Map.of(ParentProcess.PARENT_PID_ENV, Long.toString(parent.pid())), () -> gone.complete(null)));
        Thread.sleep(300);
        assertFalse(gone.isDone(), "the process still runs");
        parent.destroyForcibly();
        gone.get(30, TimeUnit.SECONDS);

        CompletableFuture<Void> already = new CompletableFuture<>();
        assertTrue(ParentProcess.whenGone(Map.of(ParentProcess.PARENT_PID_ENV, Long.toString(parent.pid())), () -> already.complete(null)));
        assertTrue(already.isDone(), "a parent that is already gone ends the watcher at once");
    }
}
