package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hybrid.localaws.LocalAws;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Local mode signs with the emulators' keys, whatever AWS identity the shell exports. */
class LocalCredentialsTest {
    /** Run in a JVM whose environment holds an operator's keys; prints the key id local mode would sign with. */
    public static final class Probe {
        public static void main(String[] args) {
            AwsTarget local = AwsTarget.local(URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9"));
            System.out.print(AwsClients.credentials(local).resolveCredentials().accessKeyId());
        }
    }

    @Test
    void theEmulatorsKeysWinOverKeysInTheEnvironment() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName())).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("AWS_ACCESS_KEY_ID", "AKIDOPERATOR00000001");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "operator-secret-not-for-the-emulators");
        Process probe = builder.start();
        String printed = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        probe.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, probe.exitValue());
        assertEquals(LocalAws.ACCESS_KEY_ID, printed);
    }
}
