package dev.hybrid.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.engine.ProgressBars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI side of the local image build: a stand-in script plays build-local.sh's output contract. */
class LocalWebImageBuildTest {
    @TempDir
    Path dir;

    private Path script(String body) throws IOException {
        Path script = dir.resolve("build-local.sh");
        Files.writeString(script, "#!/usr/bin/env bash\n" + body);
        return script;
    }

    private Path jar() throws IOException {
        return Files.writeString(dir.resolve("hybrid-web-tier.jar"), "jar");
    }

    /** Records what the bar was told. */
    private static final class Recorded implements ProgressBars {
        final List<String> events = new ArrayList<>();

        @Override
        public Bar start(String task, long total, String unit) {
            events.add("start " + total);
            return new Bar() {
                @Override
                public void stepTo(long done) {
                    events.add("step " + done);
                }

                @Override
                public void note(String text) {
                    events.add("note " + text);
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        }
    }

    @Test
    void stepsDriveTheBarAndStdoutNamesTheVmdk() throws IOException {
        Path script = script("""
                echo '[image 1/3] hashing inputs' >&2
                echo 'some log line' >&2
                echo '[image 2/3] debootstrap' >&2
                echo '[image 3/3] done' >&2
                echo "$3.vmdk"
                """.replace("$3", dir.resolve("hybrid-web-0123").toString()));
        Recorded bars = new Recorded();
        List<String> seen = new ArrayList<>();
        LocalWebImageBuild.Result result = LocalWebImageBuild.run(script, jar(), bars, seen::add);
        assertEquals(dir.resolve("hybrid-web-0123.vmdk"), result.vmdk());
        assertFalse(result.reused());
        assertEquals(List.of("start 3", "step 0", "note hashing inputs", "step 1", "note debootstrap", "step 2", "note done",
                "step 3", "close"), bars.events);
        assertEquals(4, seen.size(), "every stderr line reaches the verbose sink: " + seen);
    }

    @Test
    void aCachedImageIsReportedAsReused() throws IOException {
        Path script = script("""
                echo '[image 1/7] hashing inputs' >&2
                echo '[image] cached: nothing changed since hybrid-web-1.vmdk was built' >&2
                echo /cache/hybrid-web-1.vmdk
                """);
        LocalWebImageBuild.Result result = LocalWebImageBuild.run(script, jar(), ProgressBars.NONE, line -> { });
        assertTrue(result.reused());
        assertEquals(Path.of("/cache/hybrid-web-1.vmdk"), result.vmdk());
    }

    @Test
    void aFailedBuildIsOneLineWithTheScriptsReason() throws IOException {
        Path script = script("""
                echo '[image 1/7] hashing inputs' >&2
                echo 'build-local: ERROR: run as root: debootstrap and chroot need it' >&2
                echo '--- last lines of the build log ---' >&2
                exit 1
                """);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalWebImageBuild.run(script, jar(), ProgressBars.NONE, line -> { }));
        assertEquals("the local web-tier image build failed: run as root: debootstrap and chroot need it", e.getMessage());
    }

    @Test
    void aMissingJarIsAConfigurationError() throws IOException {
        Path script = script("echo never >&2\n");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> LocalWebImageBuild.run(script, dir.resolve("none.jar"), ProgressBars.NONE, line -> { }));
        assertTrue(e.getMessage().contains("none.jar is missing"), e.getMessage());
    }

    @Test
    void theRecipeIsFoundBesideTheCheckoutsWebTierJar() {
        Path jar = Path.of("/repo/web-tier/target/hybrid-web-tier.jar");
        assertEquals(Path.of("/repo/images/web-tier/build-local.sh"), LocalWebImageBuild.scriptBeside(jar));
    }
}
