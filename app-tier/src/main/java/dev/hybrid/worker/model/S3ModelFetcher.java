package dev.hybrid.worker.model;

import dev.hybrid.contract.EnvNames;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/** Copies an s3:// model into a local cache once; later loads reuse the copy. */
final class S3ModelFetcher {
    private S3ModelFetcher() {}

    static Path fetch(String url) {
        URI uri = URI.create(url);
        String bucket = uri.getHost();
        String key = uri.getPath().replaceFirst("^/", "");
        if (bucket == null || key.isEmpty()) {
            throw new IllegalArgumentException("an s3 model url looks like s3://bucket/path/model.pt, not " + url);
        }
        Path cache = Path.of(System.getenv().getOrDefault("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"),
                "hybrid-models", bucket, key);
        if (Files.isRegularFile(cache)) {
            return cache;
        }
        boolean pathStyle = "true".equalsIgnoreCase(System.getenv(EnvNames.S3_PATH_STYLE));
        try (S3Client s3 = S3Client.builder().forcePathStyle(pathStyle).build()) {
            Files.createDirectories(cache.getParent());
            Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            s3.getObject(b -> b.bucket(bucket).key(key), partial);
            Files.move(partial, cache);
            return cache;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot fetch the model " + url + ": " + e.getMessage(), e);
        }
    }
}
