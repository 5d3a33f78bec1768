package dev.hybrid.worker.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs this very command line again in a child with {@code DNNL_MAX_CPU_ISA=SSE41}, and waits for it.
 * The child inherits stdin, stdout and stderr, so its ready line and logs are the worker's; a SIGTERM
 * to this process is passed on and this process exits with the child's code. Java cannot set an
 * environment variable of its own process, and oneDNN reads it from the environment, so a second
 * process is the only way to change it; this process stays as a thin parent (no model, no engine).
 */
final class SafeRestart {
    /** Longer than the worker's own stop grace (80 s), within systemd's 90 s. */
    private static final long STOP_WAIT_SECONDS = 85;

    private SafeRestart() {}

    /**
     * This process's command line: /proc/self/cmdline (ProcessHandle gives no arguments for a long one,
     * such as a test's class path), else what ProcessHandle knows.
     */
    static List<String> ownCommandLine() {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            List<String> command = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < cmdline.length; i++) {
                if (cmdline[i] == 0) {
                    command.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (!command.isEmpty()) {
                return command;
            }
        } catch (IOException notLinux) {
            // ProcessHandle below
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add(info.command().orElseThrow(() -> new IllegalStateException("this process's command is not readable")));
        command.addAll(List.of(info.arguments().orElseThrow(() -> new IllegalStateException("this process's arguments are not readable"))));
        return command;
    }

    static int run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(EngineCheck.ISA_VARIABLE, EngineCheck.SAFE_ISA);
        Process child = builder.start();
        Thread passOn = new Thread(() -> {
            child.destroy();
            try {
                if (!child.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
                Runtime.getRuntime().halt(child.exitValue());
            } catch (InterruptedException | IllegalThreadStateException e) {
                Runtime.getRuntime().halt(1);
            }
        }, "engine-safe-restart-stop");
        Runtime.getRuntime().addShutdownHook(passOn);
        int code = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(passOn);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running and ends the process with the child's code.
        }
        return code;
    }
}
