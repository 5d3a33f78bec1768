package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.cli.config.ConfigurationException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.profiles.ProfileFile;

class AwsTargetTest {
    @Test
    void flagsWinOverServiceVariablesWhichWinOverTheGeneralOne() {
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1000", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2000");
        AwsTarget target = AwsTarget.resolve("local", URI.create("http://127.0.0.1:3000"), null, env);
        assertEquals(URI.create("http://127.0.0.1:3000"), target.sqsEndpoint());
        assertEquals(URI.create("http://127.0.0.1:2000"), target.s3Endpoint());
        assertTrue(target.local());
        assertTrue(target.pathStyle());
        assertEquals("us-east-1", target.region().id());
        assertEquals(URI.create("http://127.0.0.1:1000"), AwsTarget.resolve("local", null, null, env).sqsEndpoint());
    }

    @Test
    void realAwsNeedsNoEndpointAndTakesItsRegionAndPathStyleFromTheEnvironment() {
        AwsTarget target = AwsTarget.resolve(null, null, null, Map.of("AWS_REGION", "eu-central-1"));
        assertFalse(target.local());
        assertNull(target.sqsEndpoint());
        assertNull(target.s3Endpoint());
        assertFalse(target.pathStyle());
        assertEquals("eu-central-1", target.region().id());
        assertTrue(AwsTarget.resolve(null, null, null, Map.of("AWS_REGION", "eu-central-1", "HYBRID_S3_PATH_STYLE", "true")).pathStyle());
    }

    @Test
    void missingOrMalformedEndpointsAreConfigurationErrors() {
        ConfigurationException missing = assertThrows(ConfigurationException.class,
                () -> AwsTarget.resolve("local", null, null, Map.of("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1")));
        assertTrue(missing.getMessage().contains("AWS_ENDPOINT_URL_S3"), missing.getMessage());
        ConfigurationException malformed = assertThrows(ConfigurationException.class,
                () -> AwsTarget.resolve("local", null, null, Map.of("AWS_ENDPOINT_URL", "localhost:9324")));
        assertTrue(malformed.getMessage().contains("not a URL"), malformed.getMessage());
    }

    @Test
    void aMalformedCredentialsFileIsNamedWithItsLine(@TempDir Path dir) throws Exception {
        Path credentials = Files.writeString(dir.resolve("credentials"), "[default\naws_access_key_id = AKIDEXAMPLE\n");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AwsProfileFiles.check(Optional.of(credentials), ProfileFile.Type.CREDENTIALS));
        assertEquals(credentials + ": Profile definition must end with ']' on line 1: fix the file (see 'aws configure'), or use --aws local",
                e.getMessage());
        Path good = Files.writeString(dir.resolve("good"), "[default]\naws_access_key_id = AKIDEXAMPLE\n");
        AwsProfileFiles.check(Optional.of(good), ProfileFile.Type.CREDENTIALS);
        AwsProfileFiles.check(Optional.empty(), ProfileFile.Type.CONFIGURATION);
    }
}
