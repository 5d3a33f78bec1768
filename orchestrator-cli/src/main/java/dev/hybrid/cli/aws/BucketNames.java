package dev.hybrid.cli.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Bucket names are global across all AWS accounts, so they carry the account and region:
 * {@code hybrid-<stack>-<role>-<account>-<region>}. Names past S3's 63 characters keep a short
 * hash of the full name, so two long stacks never collide.
 */
public final class BucketNames {
    static final int MAX_LENGTH = 63;

    private BucketNames() {
    }

    public static String of(String stack, String role, String accountId, String region) {
        String full = ("hybrid-" + stack + "-" + role + "-" + accountId + "-" + region).toLowerCase(Locale.ROOT);
        if (full.length() <= MAX_LENGTH) {
            return full;
        }
        String hash = sha256(full).substring(0, 8);
        String tail = "-" + role + "-" + accountId + "-" + region;
        int room = MAX_LENGTH - "hybrid-".length() - tail.length() - hash.length() - 1;
        String stackPart = room > 0 ? stack.substring(0, Math.min(stack.length(), room)) + "-" : "";
        String shortened = ("hybrid-" + stackPart + hash + tail).toLowerCase(Locale.ROOT);
        return shortened.length() <= MAX_LENGTH ? shortened : ("hybrid-" + hash + "-" + sha256(tail).substring(0, 8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
