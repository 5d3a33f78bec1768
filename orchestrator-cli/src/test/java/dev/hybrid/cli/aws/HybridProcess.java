package dev.hybrid.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code hybrid} command as its own process, with its own environment: the way a user runs it,
 * so the SDK reads {@code AWS_ENDPOINT_URL}, {@code AWS_CONFIG_FILE} and the profile itself.
 */
final class HybridProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not one JSON document on stdout (exit " + exitCode + "): " + stdout + "\nstderr: " + stderr, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private final Path workingDirectory;
    private final Map<String, String> environment;

    HybridProcess(Path workingDirectory, Map<String, String> environment) {
        this.workingDirectory = workingDirectory;
        this.environment = Map.copyOf(environment);
    }

    /** Starts {@code hybrid args...}; stdout and stderr go to files beside the working directory. */
    Process start(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classPath(), "dev.hybrid.cli.HybridMain"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectOutput(workingDirectory.resolve("stdout").toFile()).redirectError(workingDirectory.resolve("stderr").toFile());
        // Only what the test names: nothing of the developer's own AWS or OpenStack settings.
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("OS_") || name.startsWith("HYBRID_"));
        builder.environment().putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code hybrid args...} to its end (10 minutes at most). */
    Result run(String... args) {
        Process process = start(args);
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("hybrid " + String.join(" ", args) + " did not end within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
        return result(process);
    }

    Result result(Process process) {
        try {
            return new Result(process.exitValue(), Files.readString(workingDirectory.resolve("stdout"), StandardCharsets.UTF_8),
                    Files.readString(workingDirectory.resolve("stderr"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String stderrSoFar() {
        try {
            return Files.readString(workingDirectory.resolve("stderr"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Surefire may run the tests from a manifest-only jar; it names the real class path in a property. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
