package dev.hybrid.cli.openstack;

import dev.hybrid.cli.config.WebImageSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Where the web-tier VMDK's bytes come from; every source is read as a stream, never held whole. */
public interface ImageSource {
    /** The size in bytes, or -1 when the source does not say. */
    long size();

    /** Cheap identity, stored on the image: equal fingerprints mean the same bytes without reading them. */
    String fingerprint();

    /** The hex digest of the bytes, or null when that would mean downloading them. */
    String hash(String algorithm);

    Opened open();

    record Opened(InputStream stream, long size) {
        void closeQuietly() {
            try {
                stream.close();
            } catch (IOException e) {
                // nothing left to read from it
            }
        }
    }

    static ImageSource of(WebImageSource configured, java.util.function.Supplier<S3Client> s3, HttpClient http) {
        if (configured instanceof WebImageSource.LocalFile file) {
            return new LocalFile(file.path());
        }
        if (configured instanceof WebImageSource.S3Object object) {
            return new S3Object(s3, object.bucket(), object.key());
        }
        if (configured instanceof WebImageSource.Download download) {
            return new Download(http, download.url());
        }
        throw new IllegalArgumentException(configured + " is already in Glance: nothing to upload");
    }

    /** Counts what passed through, for the progress bar and the throughput figure. */
    final class CountingStream extends FilterInputStream {
        private final LongConsumer progress;
        private long count;

        CountingStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.accept(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
                progress.accept(count);
            }
            return n;
        }

        long count() {
            return count;
        }
    }

    record LocalFile(Path path) implements ImageSource {
        @Override
        public long size() {
            try {
                return Files.size(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the web image " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String fingerprint() {
            try {
                return "file:" + path.toAbsolutePath().normalize() + ":" + size() + ":" + Files.getLastModifiedTime(path).toMillis();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the web image " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String hash(String algorithm) {
            try (DigestInputStream in = new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance(algorithm))) {
                in.transferTo(OutputStream.nullOutputStream());
                return HexFormat.of().formatHex(in.getMessageDigest().digest());
            } catch (NoSuchAlgorithmException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the web image " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Opened open() {
            try {
                return new Opened(Files.newInputStream(path), size());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the web image " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    final class S3Object implements ImageSource {
        private final java.util.function.Supplier<S3Client> s3;
        private final String bucket;
        private final String key;
        private HeadObjectResponse head;

        S3Object(java.util.function.Supplier<S3Client> s3, String bucket, String key) {
            this.s3 = s3;
            this.bucket = bucket;
            this.key = key;
        }

        private synchronized HeadObjectResponse head() {
            if (head == null) {
                head = s3.get().headObject(b -> b.bucket(bucket).key(key));
            }
            return head;
        }

        @Override
        public long size() {
            return head().contentLength();
        }

        @Override
        public String fingerprint() {
            return this + ":" + head().eTag();
        }

        @Override
        public String hash(String algorithm) {
            return null;
        }

        @Override
        public Opened open() {
            ResponseInputStream<GetObjectResponse> object = s3.get().getObject(b -> b.bucket(bucket).key(key));
            return new Opened(object, object.response().contentLength());
        }

        @Override
        public String toString() {
            return "s3://" + bucket + "/" + key;
        }
    }

    final class Download implements ImageSource {
        private final HttpClient http;
        private final java.net.URI url;
        private HttpResponse<Void> head;

        Download(HttpClient http, java.net.URI url) {
            this.http = http;
            this.url = url;
        }

        private synchronized HttpResponse<Void> head() {
            if (head == null) {
                head = send(HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
            }
            return head;
        }

        @Override
        public long size() {
            return head().headers().firstValueAsLong("Content-Length").orElse(-1);
        }

        @Override
        public String fingerprint() {
            return url + ":" + head().headers().firstValue("ETag").or(() -> head().headers().firstValue("Last-Modified")).orElse("");
        }

        @Override
        public String hash(String algorithm) {
            return null;
        }

        @Override
        public Opened open() {
            HttpResponse<InputStream> response = send(HttpRequest.newBuilder(url).GET(), HttpResponse.BodyHandlers.ofInputStream());
            return new Opened(response.body(), response.headers().firstValueAsLong("Content-Length").orElse(-1));
        }

        private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
            try {
                HttpResponse<T> response = http.send(request.build(), handler);
                if (response.statusCode() != 200) {
                    throw new IllegalArgumentException("the web image " + url + " answered HTTP " + response.statusCode());
                }
                return response;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot download the web image " + url + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while downloading " + url, e);
            }
        }

        @Override
        public String toString() {
            return url.toString();
        }
    }
}
