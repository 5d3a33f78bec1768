package dev.hybrid.web.scaling;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to launch local worker processes.
 *
 * @param command      the worker command line; it must carry no secrets
 * @param environment  added to the web tier's own environment: queue URLs, buckets, endpoints, credentials
 * @param warmPoolSize suspended ready workers to keep
 * @param logDirectory where each worker's stderr goes ({@code <pid>.log}); null inherits the web tier's stderr
 */
public record LocalProcessSettings(List<String> command, Map<String, String> environment, int warmPoolSize,
                                   Duration readyTimeout, Duration stopGrace, Path logDirectory) {
    public LocalProcessSettings {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the worker command is empty");
        }
        if (warmPoolSize < 0) {
            throw new IllegalArgumentException("warmPoolSize cannot be negative, got " + warmPoolSize);
        }
    }

    /** {@code java -jar <workerJar>} with the same Java the web tier runs on, and the jar's class-data archive if it has one. */
    public static LocalProcessSettings forWorkerJar(Path workerJar, Map<String, String> environment, int warmPoolSize) {
        if (!Files.isRegularFile(workerJar)) {
            throw new IllegalArgumentException("worker jar not found: " + workerJar
                    + " (build it with: mvn -B -pl app-tier package)");
        }
        List<String> command = new ArrayList<>(List.of(currentJava()));
        command.addAll(WorkerClassArchive.jvmOptions(workerJar));
        command.addAll(List.of("-jar", workerJar.toString()));
        return new LocalProcessSettings(command, environment,
                warmPoolSize, Duration.ofMinutes(3), Duration.ofSeconds(10), null);
    }

    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
