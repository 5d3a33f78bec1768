package dev.hybrid.web.scaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data archive of the worker jar for local workers, as the image bake writes one for EC2.
 * A worker started with it maps the classes of its model loading instead of loading and verifying
 * them: about half a second and more than a CPU-second less per start on two cores.
 *
 * <p>One archive per jar and Java: it is written by the worker's own offline workload run
 * ({@code --class-archive-workload}: load the model, classify, make a batch's SQS and S3 calls) and is
 * current while it is newer than the jar. A JVM that finds it
 * unusable says so on stderr and starts without it, so a stale archive costs nothing but the
 * half second.
 */
public final class WorkerClassArchive {
    private static final Logger log = LoggerFactory.getLogger(WorkerClassArchive.class);
    /** The workload run loads the model offline, which takes seconds; the web tier's start waits for it. */
    private static final Duration RECORDING_LIMIT = Duration.ofSeconds(60);

    private WorkerClassArchive() {}

    /** Where the archive of this jar for the running Java lives: beside the jar. */
    public static Path pathFor(Path workerJar) {
        String stem = workerJar.getFileName().toString().replaceFirst("\\.jar$", "");
        String java = Runtime.version().toString().replaceAll("[^A-Za-z0-9.]", "_");
        return workerJar.toAbsolutePath().resolveSibling(stem + "-java" + java + ".jsa");
    }

    /** The archive when it was written after the jar, else empty. */
    public static Optional<Path> current(Path workerJar) {
        Path archive = pathFor(workerJar);
        try {
            return Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(workerJar)) > 0
                    ? Optional.of(archive) : Optional.empty();
        } catch (IOException missing) {
            return Optional.empty();
        }
    }

    /** The JVM options that use the archive, when there is a current one. */
    public static List<String> jvmOptions(Path workerJar) {
        return current(workerJar).map(archive -> List.of("-XX:SharedArchiveFile=" + archive)).orElse(List.of());
    }

    /**
     * Writes the archive unless a current one exists; false when it could not be written, and the
     * workers then start without it. {@code environment} is the workers' own, so the workload run
     * finds the same model and DJL cache.
     */
    public static boolean ensure(Path workerJar, Map<String, String> environment) {
        if (current(workerJar).isPresent()) {
            return true;
        }
        Path archive = pathFor(workerJar);
        // Written under a name of its own, then moved: two web tiers may record one at once.
        Path partial = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".part");
        long start = System.nanoTime();
        log.info("writing the local workers' class-data archive {} (once per worker jar)", archive.getFileName());
        // Offline, so that it never waits for a download: the fallback model loads the same engine and zoo classes.
        List<String> command = new ArrayList<>(List.of(LocalProcessSettings.currentJava(), "-XX:ArchiveClassesAtExit=" + partial));
        command.addAll(LocalProcessSettings.WORKER_RUNTIME_OPTIONS);
        command.addAll(List.of("-Dai.djl.offline=true", "-jar", workerJar.toString(), "--class-archive-workload"));
        ProcessBuilder recording = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        recording.environment().putAll(environment);
        Process process = null;
        try {
            process = recording.start();
            if (!process.waitFor(RECORDING_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                log.warn("the class-data archive was not written within {} s; workers start without it", RECORDING_LIMIT.toSeconds());
                return false;
            }
            if (!Files.isRegularFile(partial)) {
                log.warn("the class-data workload run ended with {} and wrote no archive; workers start without it", process.exitValue());
                return false;
            }
            // A damaged archive crashes every JVM that maps it, -Xshare:auto or not; -Xshare:on proves this one maps.
            if (!maps(partial, workerJar)) {
                log.warn("the class-data archive written does not map; workers start without it");
                return false;
            }
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("class-data archive written in {} ms", (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (IOException e) {
            log.warn("could not write the class-data archive ({}); workers start without it", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        } finally {
            deleteQuietly(partial);
        }
    }

    private static boolean maps(Path archive, Path workerJar) throws IOException, InterruptedException {
        Path crashReport = archive.resolveSibling(archive.getFileName() + ".hs_err.log");
        Process check = new ProcessBuilder(LocalProcessSettings.currentJava(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-XX:ErrorFile=" + crashReport, "-XX:-CreateCoredumpOnCrash",
                "-cp", workerJar.toString(), "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!check.waitFor(RECORDING_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            check.destroyForcibly();
            return false;
        }
        deleteQuietly(crashReport);
        return check.exitValue() == 0;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover .part file is harmless and never read.
        }
    }
}
