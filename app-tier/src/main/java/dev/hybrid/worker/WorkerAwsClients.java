package dev.hybrid.worker;

import java.time.Duration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SQS and S3 clients for the worker. Endpoint overrides make the emulators and AWS one code path. */
record WorkerAwsClients(SqsClient sqs, S3Client s3) implements AutoCloseable {

    static WorkerAwsClients create(WorkerSettings settings) {
        var sqs = SqsClient.builder().httpClient(httpClient(settings));
        var s3 = S3Client.builder().httpClient(httpClient(settings)).forcePathStyle(settings.s3PathStyle());
        if (settings.region() != null) {
            sqs.region(Region.of(settings.region()));
            s3.region(Region.of(settings.region()));
        }
        if (settings.sqsEndpoint() != null) {
            sqs.endpointOverride(settings.sqsEndpoint());
        }
        if (settings.s3Endpoint() != null) {
            // An S3-compatible store (the emulator, MinIO, Ceph): checksums only where S3 requires them, as the SDK advises for
            // third-party stores; the default CRC trailer is aws-chunked encoding that not all of them decode.
            s3.endpointOverride(settings.s3Endpoint()).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return new WorkerAwsClients(sqs.build(), s3.build());
    }

    /**
     * Apache rather than URLConnection: it evicts connections the server closed while idle instead
     * of failing the next request. The socket timeout outlasts a 20 s long poll.
     */
    private static SdkHttpClient httpClient(WorkerSettings settings) {
        return ApacheHttpClient.builder()
                // Every I/O thread may hold a connection, and each loop a long poll besides.
                .maxConnections(Worker.ioThreads(settings) + settings.threads() * 2)
                .connectionMaxIdleTime(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(settings.receiveWaitSeconds() + 10L))
                .build();
    }

    @Override
    public void close() {
        sqs.close();
        s3.close();
    }
}
