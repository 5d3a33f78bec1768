package dev.hybrid.worker;

import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.localaws.LocalAws;
import java.time.Duration;
import java.util.Map;

/**
 * The loop's own cost per request against the local emulators, with a model that takes no time:
 * receive, S3 puts, batched reply, batched delete. Prints requests per second for 1, 2 and 4 loops.
 * Run: java -cp <test classpath> dev.hybrid.worker.LoopThroughputBenchmark [requests] [imageBytes]
 */
public final class LoopThroughputBenchmark {
    private LoopThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int imageBytes = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
        System.out.printf("%d requests of %d bytes each, model time 0%n", requests, imageBytes);
        for (int threads : new int[] {1, 2, 4}) {
            try (LocalQueues local = new LocalQueues(30)) {
                var settings = new WorkerSettings(local.requests, local.responses, "input-bucket", "output-bucket", LocalAws.REGION,
                        local.aws.sqsEndpoint(), local.aws.s3Endpoint(), true, threads, 10, 1, Duration.ZERO, null, "bench");
                for (int i = 0; i < requests; i++) {
                    local.send("bench_" + i + ".png", StandInClassifier.fakePng(imageBytes));
                }
                long started = System.nanoTime();
                try (Worker worker = new Worker(settings, WorkerAwsClients.create(settings), new StandInClassifier(Duration.ZERO)).start()) {
                    Map<String, ClassifyResponse> replies = local.awaitReplies(requests, Duration.ofMinutes(5));
                    double seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf("threads=%d answered=%d in %.2f s: %.0f requests/s%n", threads, replies.size(), seconds,
                            replies.size() / seconds);
                    worker.stop(Duration.ofSeconds(10));
                }
            }
        }
    }
}
