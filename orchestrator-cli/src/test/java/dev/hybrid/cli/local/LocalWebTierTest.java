package dev.hybrid.cli.local;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.cli.aws.WebTierCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local web tier is started with, and where its key is kept; no process of the web tier is started here. */
class LocalWebTierTest {
    private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEYxyz";
    private static final WebTierCredentials KEY = new WebTierCredentials("AKIDWEBTIER000000001", SECRET);

    @TempDir
    Path state;

    private LocalWebTier tier() {
        return new LocalWebTier("s1", Map.of("HYBRID_STATE_DIR", state.toString(), "HYBRID_HOME", state.toString()));
    }

    private static LocalWebTier.Launch launch(String template) {
        return new LocalWebTier.Launch(Map.of("HYBRID_REQUEST_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/1/hybrid-s1-request-d1",
                "HYBRID_OUTPUT_BUCKET", "hybrid-s1-output-1-eu-west-1"), "eu-west-1", null, null, false, "s1", template,
                Map.of("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:9"), null, 20, 2, null);
    }

    @Test
    void theKeyIsInAFileOnlyThisUserCanReadAndNeitherInTheCommandNorTheEnvironment() throws Exception {
        LocalWebTier tier = tier();
        tier.writeCredentials(KEY);
        Path file = tier.layout().webCredentials();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        LocalWebTier.Launch launch = launch("lt-0123456789abcdef0");
        List<String> command = tier.command(launch, 8080);
        Map<String, String> env = tier.environment(launch);
        assertFalse(String.join(" ", command).contains(SECRET), command.toString());
        assertFalse(String.join(" ", command).contains(KEY.accessKeyId()), command.toString());
        assertFalse(env.toString().contains(SECRET), env.toString());
        assertEquals(file.toString(), env.get("AWS_SHARED_CREDENTIALS_FILE"));
        assertEquals(file.toString(), env.get("AWS_CONFIG_FILE"), "no profile of ~/.aws/config, e.g. a role, can take over");
        assertEquals("lt-0123456789abcdef0", env.get("HYBRID_LAUNCH_TEMPLATE_ID"));
        assertEquals("s1", env.get("HYBRID_STACK"));
        assertEquals("eu-west-1", env.get("AWS_REGION"));
        assertEquals("http://127.0.0.1:9", env.get("AWS_ENDPOINT_URL_EC2"));
        assertEquals("https://sqs.eu-west-1.amazonaws.com/1/hybrid-s1-request-d1", env.get("HYBRID_REQUEST_QUEUE_URL"));
        assertFalse(env.containsKey("AWS_ENDPOINT_URL_SQS"), "real AWS: no endpoint");
        assertTrue(command.containsAll(List.of("--bind", "127.0.0.1", "--port", "8080", "--workers-max", "20", "--warm-pool", "2")));
        assertTrue(LocalWebTier.INHERITED_IDENTITY.containsAll(Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE")), "the operator's identity is not inherited");
    }

    @Test
    void withoutALaunchTemplateTheWebTierGetsNoneAndNoInheritedOne() {
        LocalWebTier tier = tier();
        Map<String, String> env = tier.environment(launch(null));
        assertFalse(env.containsKey("HYBRID_LAUNCH_TEMPLATE_ID"));
        assertTrue(LocalWebTier.INHERITED_IDENTITY.contains("HYBRID_LAUNCH_TEMPLATE_ID"));
        assertTrue(LocalWebTier.INHERITED_IDENTITY.contains("HYBRID_WORKER_JAR"), "no local workers beside the EC2 ones");
    }

    @Test
    void aStoredKeyIsUsedOnlyWhileItIsTheKeyIamHas() {
        LocalWebTier tier = tier();
        assertTrue(tier.storedCredentials(KEY.accessKeyId()).isEmpty(), "nothing stored yet");
        tier.writeCredentials(KEY);
        assertEquals(KEY, tier.storedCredentials(KEY.accessKeyId()).orElseThrow());
        assertTrue(tier.storedCredentials("AKIDROTATED000000002").isEmpty(), "a rotated key makes the stored one useless");
        WebTierCredentials rotated = new WebTierCredentials("AKIDROTATED000000002", "another-secret");
        tier.writeCredentials(rotated);
        assertEquals(rotated, tier.storedCredentials(rotated.accessKeyId()).orElseThrow());
    }

    @Test
    void theFingerprintFollowsSettingsAndKeyId() {
        LocalWebTier.Launch launch = launch("lt-0123456789abcdef0");
        assertEquals(launch.fingerprint("AKIA1"), launch("lt-0123456789abcdef0").fingerprint("AKIA1"));
        assertNotEquals(launch.fingerprint("AKIA1"), launch.fingerprint("AKIA2"));
        assertNotEquals(launch.fingerprint("AKIA1"), launch(null).fingerprint("AKIA1"));
    }

    @Test
    void itsDirectoryIsApartFromALocalStackOfTheSameName() {
        Path web = tier().layout().stackDir();
        Path local = LocalLayout.of("s1", Map.of("HYBRID_STATE_DIR", state.toString())).stackDir();
        assertEquals(state.resolve("local-web/s1").toAbsolutePath().normalize(), web);
        assertFalse(web.startsWith(local) || local.startsWith(web));
    }

    @Test
    void stopWithNothingRecordedStopsNothing() throws Exception {
        LocalWebTier tier = tier();
        LocalWebTier.Stopped stopped = tier.teardown();
        assertEquals(List.of(), stopped.stopped());
        assertEquals(List.of(), stopped.stillRunning());
        assertTrue(tier.running().isEmpty());
    }

    @Test
    void aChildDoesNotInheritWhatItIsToldToDrop() throws Exception {
        Path log = state.resolve("env.log");
        Process child = ChildProcess.start(List.of("/usr/bin/env"), Map.of("HYBRID_PROBE", "set"), Set.of("PATH", "HOME"), log);
        assertEquals(0, child.waitFor());
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.contains("HYBRID_PROBE=set"), lines.toString());
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("PATH=") || line.startsWith("HOME=")), lines.toString());
    }

    @Test
    void aRecordOfAnotherProcessOnTheSamePidIsNotOurs() {
        long self = ProcessHandle.current().pid();
        long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        assertTrue(LocalWebTier.ours(new LocalWebRecord("s1", "http://127.0.0.1:1", self, 1, "f", "AKIA", null, started + 1000)));
        assertFalse(LocalWebTier.ours(new LocalWebRecord("s1", "http://127.0.0.1:1", self, 1, "f", "AKIA", null, started - 60_000)),
                "a process that started after the record was written reuses the pid");
    }
}
