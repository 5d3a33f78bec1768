package dev.hybrid.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A background process of the local stack. It runs in a session of its own (setsid), writes to a
 * log file rather than a pipe, so it outlives the command that started it, and is known by pid only.
 */
public final class ChildProcess {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private ChildProcess() {}

    static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
        return start(command, env, java.util.Set.of(), log);
    }

    /** {@code unset} names variables of this process's environment that the child must not inherit. */
    static Process start(List<String> command, Map<String, String> env, java.util.Set<String> unset, Path log) throws IOException {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().keySet().removeAll(unset);
        builder.environment().putAll(env);
        return builder.start();
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Waits for a line of the log to match; fails early, with the log's tail, if the process dies. */
    static Matcher awaitLine(Process process, Path log, Pattern ready, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Matcher> match = find(log, ready);
            if (match.isPresent()) {
                return match.get();
            }
            if (!process.isAlive()) {
                throw new LocalStackException(what + " exited with code " + process.exitValue() + " before it was ready:\n" + tail(log, 15));
            }
            Thread.sleep(100);
        }
        throw new LocalStackException(what + " was not ready after " + timeout.toSeconds() + " s; its log " + log + " ends with:\n" + tail(log, 15));
    }

    private static Optional<Matcher> find(Path log, Pattern ready) {
        try {
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(log)) {
                Matcher m = ready.matcher(line);
                if (m.find()) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGTERM, a grace period, then SIGKILL; true when the process is gone. */
    static boolean stop(long pid, Duration grace) throws InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        handle.get().destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        while (handle.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (handle.get().isAlive()) {
            handle.get().destroyForcibly();
            Thread.sleep(500);
        }
        return !handle.get().isAlive();
    }
}
