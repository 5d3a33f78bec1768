package dev.hybrid.localaws;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy, an S3-compatible server, on 127.0.0.1 (or another local address): in memory for tests, or backed by a
 * directory so that local-mode results survive a restart. Requests must be signed with
 * {@link LocalAws#ACCESS_KEY_ID}, as the real SDK signs them against AWS.
 */
public final class LocalS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final String host;

    private LocalS3(S3Proxy proxy, String host) {
        this.proxy = proxy;
        this.host = host;
    }

    public static LocalS3 inMemory(int port) {
        return inMemory(LocalAws.LOOPBACK, port);
    }

    public static LocalS3 inMemory(String host, int port) {
        return start(new TransientNio2BlobStore(), host, port);
    }

    public static LocalS3 onDisk(Path directory, int port) {
        return onDisk(directory, LocalAws.LOOPBACK, port);
    }

    public static LocalS3 onDisk(Path directory, String host, int port) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the S3 data directory " + directory + ": " + e.getMessage(), e);
        }
        return start(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()), host, port);
    }

    private static LocalS3 start(BlobStore store, String host, int port) {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
                }
                Thread.sleep(10);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy failed to start on port " + port + ": " + e.getMessage(), e);
        }
        return new LocalS3(proxy, host);
    }

    public int port() {
        return proxy.getPort();
    }

    public URI endpoint() {
        return URI.create("http://" + host + ":" + port());
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
