package dev.hybrid.web;

import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.S3Layout;
import dev.hybrid.contract.Wire;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Results by content hash, never by file name: a bounded in-memory LRU in front of the durable
 * copy in the output bucket under {@code cache/<sha256>}.
 */
final class ResultCache {
    private static final Logger log = LoggerFactory.getLogger(ResultCache.class);

    private final S3Client s3;
    private final String bucket;
    private final RecentResults<ClassifyResponse> recent;
    private final DurableCacheIndex index = new DurableCacheIndex();

    ResultCache(S3Client s3, String bucket, int entries) {
        this.s3 = s3;
        this.bucket = bucket;
        this.recent = new RecentResults<>(entries);
    }

    /** Learns which results S3 holds; until it has, {@link #mayHoldDurably} says yes to everything. */
    void indexDurableCopies() {
        index.load(s3, bucket);
    }

    /** False when S3 surely has no result for this image, so it need not be asked. */
    boolean mayHoldDurably(String sha256) {
        return index.mayHold(sha256);
    }

    Optional<ClassifyResponse> inMemory(String sha256) {
        return Optional.ofNullable(recent.get(sha256));
    }

    /** The durable copy; empty when there is none or S3 cannot be asked (then the image is classified again). */
    Optional<ClassifyResponse> durable(String sha256) {
        try {
            String json = s3.getObjectAsBytes(b -> b.bucket(bucket).key(S3Layout.cacheKey(sha256))).asUtf8String();
            ClassifyResponse response = Wire.response(json);
            remember(sha256, response);
            return Optional.of(response);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            log.warn("result cache in S3 unavailable ({}); classifying again", e.getMessage());
            return Optional.empty();
        }
    }

    void store(String sha256, ClassifyResponse response) {
        remember(sha256, response);
        try {
            s3.putObject(b -> b.bucket(bucket).key(S3Layout.cacheKey(sha256)).contentType("application/json"),
                    RequestBody.fromString(Wire.toJson(response)));
            index.add(sha256);
        } catch (RuntimeException e) {
            log.warn("could not store the result of {} in S3: {}", sha256, e.getMessage());
        }
    }

    private void remember(String sha256, ClassifyResponse response) {
        recent.put(sha256, response);
    }
}
