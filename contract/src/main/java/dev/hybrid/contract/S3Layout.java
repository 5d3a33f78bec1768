package dev.hybrid.contract;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Object keys. The input bucket holds each classified image under {@code <requestId>/<safe name>}, the output
 * bucket its top-1 label under {@code <requestId>/<safe stem>}; the result cache lives in the output bucket under
 * {@code cache/<sha256>} and claim checks in the input bucket under {@code claim-check/<requestId>}.
 *
 * <p>No key holds text a user chose: a file name is only a label, and as a key a name with a NUL byte, a
 * {@code ../} or 5,000 characters made S3 refuse the write. The safe form keeps the last path segment's
 * letters, digits, {@code .}, {@code _} and {@code -}, replaces every other character with {@code _}, drops
 * leading dots and keeps at most {@link #MAX_NAME_CHARS} characters, the extension included. The request id,
 * itself reduced the same way, keeps equal names apart. The original name travels in the reply and, percent-encoded,
 * in the object's user metadata {@link #ORIGINAL_NAME_METADATA}.
 */
public final class S3Layout {
    public static final String CACHE_PREFIX = "cache/";
    public static final String CLAIM_CHECK_PREFIX = "claim-check/";
    /** Longest file name kept in a key. */
    public static final int MAX_NAME_CHARS = 100;
    /** Longest request id kept in a key (a UUID has 36 characters). */
    public static final int MAX_REQUEST_ID_CHARS = 64;
    /** User metadata key (sent as {@code x-amz-meta-original-name}) with the percent-encoded UTF-8 file name. */
    public static final String ORIGINAL_NAME_METADATA = "original-name";
    /** S3 allows 2 KB of user metadata in all; a longer encoded name is cut, at a whole escape. */
    public static final int MAX_METADATA_NAME_CHARS = 1024;
    private static final String NO_NAME = "image";
    private static final int MAX_EXTENSION_CHARS = 10;

    private S3Layout() {}

    /** Where the worker stores the image of request {@code requestId}. */
    public static String inputKey(String requestId, String fileName) {
        return safeRequestId(requestId) + "/" + safeName(fileName);
    }

    /** Where the worker stores the label of request {@code requestId}. */
    public static String outputKey(String requestId, String fileName) {
        return safeRequestId(requestId) + "/" + stem(safeName(fileName));
    }

    /** The name without its last extension; a name that starts with its only dot is kept whole. */
    public static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** A file name reduced to characters that are safe in any key, path and header, at most {@link #MAX_NAME_CHARS}. */
    public static String safeName(String fileName) {
        String name = fileName == null ? "" : fileName;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        boolean hasExtension = dot > 0 && name.length() - dot >= 2 && name.length() - dot <= MAX_EXTENSION_CHARS + 1;
        String extension = hasExtension ? safeCharacters(name.substring(dot)) : "";
        String stem = safeCharacters(hasExtension ? name.substring(0, dot) : name).replaceFirst("^\\.+", "");
        if (stem.isEmpty()) {
            stem = NO_NAME;
        }
        return stem.substring(0, Math.min(stem.length(), MAX_NAME_CHARS - extension.length())) + extension;
    }

    static String safeRequestId(String requestId) {
        String safe = safeCharacters(requestId == null ? "" : requestId).replaceFirst("^\\.+", "");
        if (safe.isEmpty()) {
            return "request";
        }
        return safe.length() <= MAX_REQUEST_ID_CHARS ? safe : safe.substring(0, MAX_REQUEST_ID_CHARS);
    }

    private static String safeCharacters(String text) {
        StringBuilder safe = new StringBuilder(Math.min(text.length(), 4 * MAX_NAME_CHARS));
        text.codePoints().limit(4L * MAX_NAME_CHARS).forEach(c -> safe.append(
                c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-') ? (char) c : '_'));
        return safe.toString();
    }

    /** The original name for the object's metadata: UTF-8, percent-encoded (space as {@code +}), at most 1,024 characters. */
    public static String metadataName(String fileName) {
        String encoded = URLEncoder.encode(fileName == null ? "" : fileName, StandardCharsets.UTF_8);
        if (encoded.length() <= MAX_METADATA_NAME_CHARS) {
            return encoded;
        }
        int cut = MAX_METADATA_NAME_CHARS;
        int escape = encoded.lastIndexOf('%', cut - 1);
        if (escape >= 0 && escape > cut - 3) {
            cut = escape;
        }
        return encoded.substring(0, cut);
    }

    public static String cacheKey(String sha256) {
        return CACHE_PREFIX + sha256;
    }

    /** Claim-checked uploads are keyed by request id so that equal names never collide. */
    public static String claimCheckKey(String requestId) {
        return CLAIM_CHECK_PREFIX + requestId;
    }
}
