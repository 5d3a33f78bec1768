package dev.hybrid.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The workload a JVM class-data archive (CDS) is recorded from: what a worker does in its first seconds, done
 * once so that the archive can hold the classes it loads ({@code java -XX:ArchiveClassesAtExit=... -jar hybrid-app-tier.jar --class-archive-workload}):
 * after the model has loaded and made its warm-up pass ({@link ModelLoading}), the SQS and S3 calls
 * of a batch, against a loopback port that refuses them. Nothing leaves the machine and nothing is
 * stored.
 */
final class ClassArchiveWorkload {
    private ClassArchiveWorkload() {}

    static void callTheServices() {
        URI refusing = URI.create("http://127.0.0.1:" + closedPort());
        WorkerSettings settings = new WorkerSettings(refusing + "/000000000000/requests", refusing + "/000000000000/responses",
                "archive-input", "archive-output", "us-east-1", refusing, refusing, true, 1, 10, 0, null, Duration.ofSeconds(30),
                "class-archive-workload");
        try (WorkerAwsClients aws = WorkerAwsClients.create(settings)) {
            attempt(() -> aws.sqs().receiveMessage(b -> b.queueUrl(settings.requestQueueUrl()).maxNumberOfMessages(10)));
            attempt(() -> aws.s3().putObject(b -> b.bucket(settings.outputBucket()).key("archive-workload"), RequestBody.fromString("label")));
            attempt(() -> aws.sqs().sendMessageBatch(b -> b.queueUrl(settings.responseQueueUrl())
                    .entries(SendMessageBatchRequestEntry.builder().id("0").messageBody("{}").build())));
        }
    }

    private static void attempt(Runnable call) {
        try {
            call.run();
        } catch (SdkException refused) {
            // Expected: the port refuses; the classes of the call are loaded all the same.
        }
    }

    /** A loopback port nobody listens on: one just given back by the system. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
