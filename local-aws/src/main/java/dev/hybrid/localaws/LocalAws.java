package dev.hybrid.localaws;

import java.net.URI;
import java.nio.file.Path;

/**
 * Both emulators together. The credentials are fixed and public: they only guard loopback
 * servers that hold nothing but local test data.
 */
public final class LocalAws implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String ACCESS_KEY_ID = "local";
    public static final String SECRET_ACCESS_KEY = "local-secret";
    /** Where the emulators listen unless told otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    private final LocalSqs sqs;
    private final LocalS3 s3;

    private LocalAws(LocalSqs sqs, LocalS3 s3) {
        this.sqs = sqs;
        this.s3 = s3;
    }

    /** In-memory S3 on free ports: what tests use. */
    public static LocalAws startInMemory() {
        return startInMemory(LOOPBACK);
    }

    /** In-memory S3 on free ports of a local address other than loopback, e.g. a bridge VMs on this machine reach. */
    public static LocalAws startInMemory(String host) {
        LocalSqs sqs = LocalSqs.start(host, 0);
        try {
            return new LocalAws(sqs, LocalS3.inMemory(host, 0));
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
    }

    /** Directory-backed S3: what local mode uses, so results survive a restart. */
    public static LocalAws startOnDisk(Path s3Directory, int sqsPort, int s3Port) {
        return startOnDisk(s3Directory, LOOPBACK, sqsPort, s3Port);
    }

    public static LocalAws startOnDisk(Path s3Directory, String host, int sqsPort, int s3Port) {
        LocalSqs sqs = LocalSqs.start(host, sqsPort);
        try {
            return new LocalAws(sqs, LocalS3.onDisk(s3Directory, host, s3Port));
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
    }

    public URI sqsEndpoint() {
        return sqs.endpoint();
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    @Override
    public void close() {
        try {
            s3.close();
        } finally {
            sqs.close();
        }
    }
}
