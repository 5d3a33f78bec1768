package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.S3Exception;

class EmulatorGapsTest {
    private static final URI LOOPBACK = URI.create("http://127.0.0.1:9");
    private static final AwsTarget EMULATORS = AwsTarget.local(LOOPBACK, LOOPBACK);
    private static final AwsTarget REAL = new AwsTarget(false, null, Region.EU_WEST_1, null, null, false);

    private static S3Exception error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("from the server").build()).build();
    }

    @Test
    void anUnimplementedCallIsSkippedOnlyAgainstTheEmulators() {
        assertEquals(Optional.empty(), EmulatorGaps.call(EMULATORS, "PutBucketTagging", () -> {
            throw error(501, "NotImplemented");
        }));
        assertThrows(S3Exception.class, () -> EmulatorGaps.call(REAL, "PutBucketTagging", () -> {
            throw error(501, "NotImplemented");
        }));
    }

    @Test
    void otherErrorsAlwaysPropagate() {
        assertThrows(S3Exception.class, () -> EmulatorGaps.run(EMULATORS, "PutBucketTagging", () -> {
            throw error(403, "AccessDenied");
        }));
        assertTrue(EmulatorGaps.run(REAL, "PutBucketTagging", () -> { }));
    }
}
