package dev.hybrid.contract;

/**
 * Object keys, compatible with the CSE 546 course layout: the input bucket holds the image
 * under its file name, the output bucket holds the label under the file-name stem, and the
 * result cache lives in the output bucket under {@code cache/<sha256>}.
 */
public final class S3Layout {
    public static final String CACHE_PREFIX = "cache/";
    public static final String CLAIM_CHECK_PREFIX = "claim-check/";

    private S3Layout() {}

    public static String inputKey(String fileName) {
        return fileName;
    }

    public static String outputKey(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    public static String cacheKey(String sha256) {
        return CACHE_PREFIX + sha256;
    }

    /** Claim-checked uploads are keyed by request id so that equal names never collide. */
    public static String claimCheckKey(String requestId) {
        return CLAIM_CHECK_PREFIX + requestId;
    }
}
