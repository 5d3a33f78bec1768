package dev.hybrid.cli.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The jars the image builders install, kept in the artifacts bucket under their own hash, and the content hashes of images. */
final class Artifacts {
    private static final Logger log = LoggerFactory.getLogger(Artifacts.class);

    private Artifacts() {
    }

    /** Puts {@code file} at {@code key} unless it is there already; the key names the content, so what is there is the same. */
    static void upload(S3Client s3, String bucket, String key, Path file) {
        if (exists(s3, bucket, key)) {
            return;
        }
        log.info("uploading {} to s3://{}/{}", file.getFileName(), bucket, key);
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/java-archive"), RequestBody.fromFile(file));
    }

    static boolean exists(S3Client s3, String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static String sha256(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: build it with 'mvn -B package -DskipTests'");
        }
        MessageDigest digest = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** 20 hex digits of SHA-256 over the parts: short enough for a name, long enough never to collide by chance. */
    static String contentHash(List<String> parts) {
        MessageDigest content = digest();
        for (String part : parts) {
            content.update(part.getBytes(StandardCharsets.UTF_8));
            content.update((byte) 0);
        }
        return HexFormat.of().formatHex(content.digest()).substring(0, 20);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
