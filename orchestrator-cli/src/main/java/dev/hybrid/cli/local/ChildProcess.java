package dev.hybrid.cli.local;

import dev.hybrid.contract.ParentProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * The operator's AWS identity: a child that talks to AWS gets the credentials it needs in {@code env}, and no
     * child takes these from the shell (the SDK's default chain would prefer them to anything the child is given).
     */
    static final java.util.Set<String> AWS_IDENTITY = java.util.Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");

    /** No child of the local stack needs OpenStack's settings or secrets (OS_PASSWORD, OS_TOKEN, ...) nor the operator's AWS identity. */
    static boolean neverInherited(String name) {
        return name.startsWith("OS_") || AWS_IDENTITY.contains(name);
    }

    static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
        return start(command, env, java.util.Set.of(), log);
    }

    /** {@code unset} names variables of this process's environment that the child must not inherit. */
    static Process start(List<String> command, Map<String, String> env, java.util.Set<String> unset, Path log) throws IOException {
        return start(command, System.getenv(), env, unset, log);
    }

    /**
     * The child gets {@code inherited} less what no child may inherit and less {@code unset}, then {@code env} on top.
     */
    static Process start(List<String> command, Map<String, String> inherited, Map<String, String> env, java.util.Set<String> unset,
                         Path log) throws IOException {
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
        builder.environment().clear();
        inherited.forEach((name, value) -> {
            if (!neverInherited(name) && !unset.contains(name)) {
                builder.environment().put(name, value);
            }
        });
        builder.environment().putAll(env);
        return builder.start();
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Where the next process's output starts in a log that keeps what earlier ones wrote: its size now, 0 when absent. */
    static long end(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Waits for a line of the log, written after byte {@code from} (see {@link #end}), to match; fails early, with the log's
     * tail, if the process dies. A ready line that an earlier process left in the same log never counts: its endpoints may
     * not answer yet, or be other ones.
     */
    static Matcher awaitLine(Process process, Path log, long from, Pattern ready, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Matcher> match = find(log, from, ready);
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

    private static Optional<Matcher> find(Path log, long from, Pattern ready) {
        try {
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            byte[] all = Files.readAllBytes(log);
            int start = (int) Math.min(from, all.length);
            String written = new String(all, start, all.length - start, StandardCharsets.UTF_8);
            for (String line : written.split("\n")) {
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

    /** SIGCONT to a process stopped by SIGSTOP (state T), so that a pending SIGTERM takes effect; Java cannot send it itself. */
    private static void continueIfStopped(long pid) throws InterruptedException {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The state follows the command name, which is in parentheses and may hold spaces.
            int close = stat.lastIndexOf(')');
            if (close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'T') {
                return;
            }
            Process kill = new ProcessBuilder("kill", "-CONT", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // Gone, or no /proc: SIGKILL after the grace period still ends it.
        }
    }

    /** Whether the process has exited and only waits to be reaped (state Z): dead for the stack, though its pid still shows. */
    static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close >= 0 && close + 2 < stat.length() && (stat.charAt(close + 2) == 'Z' || stat.charAt(close + 2) == 'X');
        } catch (IOException e) {
            return false;
        }
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Workers the recorded web tier launched that outlived it: a web tier killed with SIGKILL stops
     * none, and a worker parked with SIGSTOP cannot notice. They are found by what the web tier wrote
     * into each worker's environment, its own pid in {@link ParentProcess#PARENT_PID_ENV}, never by
     * name. While a process holds that pid, only workers older than it count: its own children are
     * its descendants if it is the recorded web tier, and none of ours if the pid was reused.
     */
    static List<Long> orphanedWorkers(long webPid) {
        Optional<java.time.Instant> holderStarted = ProcessHandle.of(webPid).filter(ProcessHandle::isAlive)
                .flatMap(holder -> holder.info().startInstant());
        byte[] marker = (ParentProcess.PARENT_PID_ENV + "=" + webPid).getBytes(StandardCharsets.UTF_8);
        return ProcessHandle.allProcesses()
                .filter(process -> environmentHas(process.pid(), marker))
                .filter(process -> holderStarted.isEmpty()
                        || process.info().startInstant().map(started -> started.isBefore(holderStarted.get())).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    /** Whether the process's environment (/proc/PID/environ, NUL-separated) holds exactly this entry; false when unreadable. */
    private static boolean environmentHas(long pid, byte[] entry) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | SecurityException e) {
            return false;
        }
        for (int start = 0; start < environ.length; ) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (Arrays.equals(environ, start, end, entry, 0, entry.length)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** SIGTERM, a grace period, then SIGKILL; true when the process is gone. A process stopped by SIGSTOP is continued to act on it. */
    static boolean stop(long pid, Duration grace) throws InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        handle.get().destroy();
        continueIfStopped(pid);
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
