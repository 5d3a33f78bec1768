package dev.hybrid.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.contract.S3Layout;
import dev.hybrid.localaws.LocalAws;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class DurableCacheIndexTest {
    private static final String BUCKET = "index-output";
    private final Random random = new Random(7);
    private LocalAws aws;
    private S3Client s3;

    @BeforeEach
    void start() {
        aws = LocalAws.startInMemory();
        s3 = S3Client.builder().endpointOverride(aws.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
                .httpClient(ApacheHttpClient.create()).build();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterEach
    void stop() {
        s3.close();
        aws.close();
    }

    @Test
    void afterListingOnlyStoredResultsAreLookedUp() {
        String stored = sha();
        String other = sha();
        put(S3Layout.cacheKey(stored));
        put(S3Layout.cacheKey("not-a-hash"));
        put("test_0");
        DurableCacheIndex index = new DurableCacheIndex();

        assertTrue(index.mayHold(other), "before the listing every image is looked up");
        index.load(s3, BUCKET);

        assertTrue(index.mayHold(stored));
        assertFalse(index.mayHold(other));
        index.add(other);
        assertTrue(index.mayHold(other), "a result stored by this web tier is looked up from then on");
    }

    @Test
    void listingPagesThroughTheWholePrefix() {
        DurableCacheIndex index = new DurableCacheIndex();
        String last = null;
        for (int i = 0; i < 1_005; i++) {
            last = sha();
            put(S3Layout.cacheKey(last));
        }
        index.load(s3, BUCKET);

        assertTrue(index.mayHold(last), "the last key is on the second page of ListObjectsV2");
        assertFalse(index.mayHold(sha()));
    }

    @Test
    void aFailedListingKeepsLookingEverythingUp() {
        DurableCacheIndex index = new DurableCacheIndex();
        index.load(s3, "no-such-bucket");
        String sha = sha();

        assertTrue(index.mayHold(sha));
        index.add(sha());
        assertTrue(index.mayHold(sha()), "a store after a failed listing must not make the index look complete");
    }

    private void put(String key) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("{}"));
    }

    private String sha() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
