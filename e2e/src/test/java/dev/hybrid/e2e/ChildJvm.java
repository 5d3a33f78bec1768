package dev.hybrid.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the project's jars running as a child process, the way it runs on a VM. Settings and
 * credentials go in through the environment, never the command line. Output goes to a log file
 * that a failing test can show; the first stdout line matching the ready pattern completes
 * {@link #ready()}.
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<Matcher> ready = new CompletableFuture<>();

    private ChildJvm(String name, Process process, Path log, Pattern readyLine) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread pump = new Thread(() -> pump(readyLine), name + "-stdout");
        pump.setDaemon(true);
        pump.start();
    }

    static ChildJvm start(String name, Path jar, List<String> args, Map<String, String> env, Path logDir,
                          Pattern readyLine, String... jvmOptions) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -B package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvmOptions));
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new ChildJvm(name, builder.start(), log, readyLine);
    }

    private void pump(Pattern readyLine) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                writer.write(line);
                writer.newLine();
                writer.flush();
                Matcher m = readyLine.matcher(line);
                if (!ready.isDone() && m.find()) {
                    ready.complete(m);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready; see " + log));
    }

    /** Waits for the ready line and returns its match, or fails with the tail of the log. */
    Matcher awaitReady(Duration timeout) {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail());
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed to start:\n" + tail(), e);
        }
    }

    CompletableFuture<Matcher> ready() {
        return ready;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: what a crash looks like to the queue. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code once the process has finished its in-flight work. */
    int terminate(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " ignored SIGTERM for " + grace + ":\n" + tail());
        }
        return process.exitValue();
    }

    String tail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
