package dev.hybrid.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.web.scaling.LocalProcessSettings;
import dev.hybrid.web.scaling.WorkerClassArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local workers' class-data archive, recorded from a workload run of the real worker jar. */
class WorkerClassArchiveTest {

    @Test
    void writtenOnceUsableByAWorkerAndStaleOnceTheJarChanges(@TempDir Path dir) throws Exception {
        Path jar = Files.copy(Pipeline.WORKER_JAR, dir.resolve("hybrid-app-tier.jar"));
        Map<String, String> environment = Map.of("OPT_OUT_TRACKING", "true");

        assertTrue(WorkerClassArchive.jvmOptions(jar).isEmpty(), "no archive yet");
        assertTrue(WorkerClassArchive.ensure(jar, environment));
        Path archive = WorkerClassArchive.pathFor(jar);
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive), WorkerClassArchive.jvmOptions(jar));
        List<String> command = LocalProcessSettings.forWorkerJar(jar, environment, 0).command();
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + archive, "-jar", jar.toString()),
                command.subList(1, command.size()), "local workers start as the EC2 unit does, with the archive");
        FileTime written = Files.getLastModifiedTime(archive);
        assertTrue(WorkerClassArchive.ensure(jar, environment));
        assertEquals(written, Files.getLastModifiedTime(archive), "a current archive is not written again");
        try (var leftovers = Files.list(dir)) {
            assertEquals(2, leftovers.count(), "only the jar and the archive: no .part file is left");
        }

        // The JVM maps it: with -Xshare:on it refuses to start rather than run without the archive.
        assertEquals(0, javaVersionWith(archive, jar));
        Path damaged = Files.write(dir.resolve("damaged.jsa"), Arrays.copyOf(Files.readAllBytes(archive), 100_000));
        assertTrue(javaVersionWith(damaged, jar) != 0, "the check above can fail");

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertFalse(WorkerClassArchive.current(jar).isPresent(), "a rebuilt jar makes the archive stale");
    }

    private static int javaVersionWith(Path archive, Path jar) throws Exception {
        // A damaged archive crashes the JVM: its crash report goes beside the archive, not into the working directory.
        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xshare:on",
                "-XX:ErrorFile=" + archive + ".hs_err.log", "-XX:-CreateCoredumpOnCrash", "-XX:SharedArchiveFile=" + archive, "-cp", jar.toString(), "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return java.waitFor();
    }
}
