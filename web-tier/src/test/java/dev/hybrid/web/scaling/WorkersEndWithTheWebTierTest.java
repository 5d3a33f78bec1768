package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A web tier killed with SIGKILL runs no shutdown hook, so it cannot stop its workers: they must
 * notice on their own. A real {@link LocalProcessProvider} in a process of its own launches real
 * worker processes; the test kills that process with SIGKILL and waits for its workers to end.
 */
class WorkersEndWithTheWebTierTest {
    private final List<Long> pids = new ArrayList<>();
    private Process parent;

    @AfterEach
    void killLeftovers() {
        if (parent != null) {
            parent.destroyForcibly();
        }
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void servingWorkersExitWithinSecondsOfTheirWebTiersSigkill() throws Exception {
        parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), LaunchingParentMain.class.getName(), "2", "0")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        assertTrue(line != null && line.startsWith("running "), "the stand-in web tier's workers are ready: " + line);
        List<Long> serving = Arrays.stream(line.split(" ")[1].split(",")).map(Long::parseLong).toList();
        pids.addAll(serving);
        assertEquals(2, serving.size(), line);
        for (long pid : serving) {
            assertEquals(Optional.of(parent.pid()), ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid),
                    "worker " + pid + " is the web tier's child");
        }

        parent.destroyForcibly(); // SIGKILL
        assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
        long killed = System.nanoTime();
        for (long pid : serving) {
            Optional<ProcessHandle> worker = ProcessHandle.of(pid);
            if (worker.isPresent()) {
                // Generous for a loaded machine; the watch polls at most 5 s apart.
                worker.get().onExit().get(60, TimeUnit.SECONDS);
            }
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "worker " + pid + " outlived its web tier");
        }
        System.out.printf("workers end with their web tier: %d serving workers gone %.1f s after the web tier's SIGKILL%n",
                serving.size(), (System.nanoTime() - killed) / 1e9);
    }
}
