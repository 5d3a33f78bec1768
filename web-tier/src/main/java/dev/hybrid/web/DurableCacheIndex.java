package dev.hybrid.web;

import dev.hybrid.contract.S3Layout;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Which {@code cache/<sha256>} objects the output bucket holds, so that a new image goes to the
 * queue without first asking S3 for a result that is not there (a round trip per upload, and a
 * quarter of the pipeline's S3 calls). It lists the prefix once at start and adds what this web
 * tier stores. Until the listing has finished, after it failed, or when the cache has outgrown
 * {@link #MAX_ENTRIES}, every lookup asks S3 as before.
 *
 * <p>Entries are the first 64 bits of the hash: a collision only costs the S3 lookup it would
 * have made anyway. A result stored by another web tier after this one's listing is not known
 * here; that image is classified once more, never answered wrongly.
 */
final class DurableCacheIndex {
    private static final Logger log = LoggerFactory.getLogger(DurableCacheIndex.class);
    /** About 50 MB of index; a bigger cache is looked up in S3 on every miss. */
    static final int MAX_ENTRIES = 1_000_000;

    private enum State { LISTING, COMPLETE, GAVE_UP }

    private final Set<Long> known = ConcurrentHashMap.newKeySet();
    private volatile State state = State.LISTING;

    /** Lists the cache prefix; call it once, off the request path. */
    void load(S3Client s3, String bucket) {
        long start = System.nanoTime();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(S3Layout.CACHE_PREFIX)).contents()) {
                String sha256 = object.key().substring(S3Layout.CACHE_PREFIX.length());
                if (isSha256(sha256)) {
                    known.add(prefix(sha256));
                }
                if (known.size() > MAX_ENTRIES) {
                    log.info("result cache holds over {} entries: every new image is looked up in S3", MAX_ENTRIES);
                    giveUp();
                    return;
                }
            }
            state = State.COMPLETE;
            log.info("result cache index: {} stored results listed in {} ms", known.size(), (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("could not list the result cache ({}); every new image is looked up in S3", e.getMessage());
            giveUp();
        }
    }

    private void giveUp() {
        state = State.GAVE_UP;
        known.clear();
    }

    /** False only when the listing is complete and has no such result. */
    boolean mayHold(String sha256) {
        return state != State.COMPLETE || known.contains(prefix(sha256));
    }

    void add(String sha256) {
        // Stored while listing: the listing may have passed its key already.
        if (state != State.GAVE_UP && isSha256(sha256)) {
            known.add(prefix(sha256));
        }
    }

    private static boolean isSha256(String text) {
        return text.length() == 64 && text.chars().allMatch(HexFormat::isHexDigit);
    }

    private static long prefix(String sha256) {
        return HexFormat.fromHexDigitsToLong(sha256, 0, 16);
    }
}
