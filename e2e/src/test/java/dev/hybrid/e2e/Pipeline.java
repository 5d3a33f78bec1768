package dev.hybrid.e2e;

import dev.hybrid.localaws.LocalAws;
import dev.hybrid.web.scaling.LocalProcessSettings;
import dev.hybrid.web.scaling.WorkerClassArchive;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole service on loopback: ElasticMQ and S3Proxy in this JVM, the web tier and the workers
 * as child processes started from the same shaded jars that go onto the VMs.
 */
final class Pipeline implements AutoCloseable {
    static final Path REPO = locateRepo();
    static final Path WEB_JAR = REPO.resolve("web-tier/target/hybrid-web-tier.jar");
    static final Path WORKER_JAR = REPO.resolve("app-tier/target/hybrid-app-tier.jar");
    static final Pattern WEB_READY = Pattern.compile("hybrid-web ready url=(\\S+)");
    static final Pattern WORKER_READY = Pattern.compile("hybrid-worker ready worker=(\\S+) model=(\\S+) untrained=(\\S+)");

    final LocalAws aws = LocalAws.startInMemory();
    final SqsClient sqs;
    final S3Client s3;
    final String requestQueue;
    final String responseQueue;
    final String deadLetterQueue;
    final String inputBucket = "e2e-input";
    final String outputBucket = "e2e-output";
    final Path logDir;
    final List<ChildJvm> workers = new ArrayList<>();
    ChildJvm web;
    URI webUrl;

    Pipeline(Path logDir, int visibilityTimeoutSeconds) {
        this.logDir = logDir;
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
        sqs = SqsClient.builder().endpointOverride(aws.sqsEndpoint()).region(Region.of(LocalAws.REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        s3 = S3Client.builder().endpointOverride(aws.s3Endpoint()).region(Region.of(LocalAws.REGION)).forcePathStyle(true)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        deadLetterQueue = sqs.createQueue(b -> b.queueName("e2e-dead-letters")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterQueue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        requestQueue = sqs.createQueue(b -> b.queueName("e2e-requests").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds),
                QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"5\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}")))
                .queueUrl();
        responseQueue = sqs.createQueue(b -> b.queueName("e2e-responses")).queueUrl();
        s3.createBucket(b -> b.bucket(inputBucket));
        s3.createBucket(b -> b.bucket(outputBucket));
        // Workers start as local mode starts them: with the jar's class-data archive, written once per jar.
        WorkerClassArchive.ensure(WORKER_JAR, environment());
    }

    /** What both tiers read from their environment: where the queues and buckets are, and how to sign. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("HYBRID_REQUEST_QUEUE_URL", requestQueue);
        env.put("HYBRID_RESPONSE_QUEUE_URL", responseQueue);
        env.put("HYBRID_INPUT_BUCKET", inputBucket);
        env.put("HYBRID_OUTPUT_BUCKET", outputBucket);
        env.put("AWS_REGION", LocalAws.REGION);
        env.put("AWS_ENDPOINT_URL_SQS", aws.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", aws.s3Endpoint().toString());
        env.put("HYBRID_S3_PATH_STYLE", "true");
        env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
        env.put("OPT_OUT_TRACKING", "true");
        env.put("HYBRID_MODEL_PROFILE", "cse546");
        // Passed through so a benchmark run can ask for the worker's per-batch stage timings.
        for (String passed : List.of("DJL_CACHE_DIR", "HYBRID_WORKER_LOG_LEVEL")) {
            String value = System.getenv(passed);
            if (value != null) {
                env.put(passed, value);
            }
        }
        return env;
    }

    URI startWeb(String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", Integer.toString(freePort())));
        args.addAll(List.of(extraArgs));
        web = ChildJvm.start("web", WEB_JAR, args, environment(), logDir, WEB_READY, "-Xmx512m");
        webUrl = URI.create(web.awaitReady(Duration.ofSeconds(60)).group(1));
        return webUrl;
    }

    ChildJvm startWorker(String id, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--worker-id", id));
        args.addAll(List.of(extraArgs));
        ChildJvm worker = ChildJvm.start("worker-" + id, WORKER_JAR, args, environment(), logDir, WORKER_READY,
                workerJvmOptions().toArray(String[]::new));
        workers.add(worker);
        return worker;
    }

    private static List<String> workerJvmOptions() {
        List<String> jvmOptions = new ArrayList<>(List.of("-Dai.djl.offline=true", "-Xmx1g"));
        // -Dbench.classArchive=false measures what the archive gives; -Dbench.workerJvm="..." tries other JVM options.
        jvmOptions.addAll(LocalProcessSettings.WORKER_RUNTIME_OPTIONS);
        if (Boolean.parseBoolean(System.getProperty("bench.classArchive", "true"))) {
            jvmOptions.addAll(WorkerClassArchive.jvmOptions(WORKER_JAR));
        }
        String extra = System.getProperty("bench.workerJvm", "").trim();
        if (!extra.isEmpty()) {
            jvmOptions.addAll(List.of(extra.split("\\s+")));
        }
        return jvmOptions;
    }

    /**
     * Seconds of raw in-JVM inference of the images ({@code RawInference}: batches of ten, one thread, after its
     * warm-up), in a JVM of its own started as a worker is, with no queue, HTTP or S3. Not in this JVM: the
     * emulators live here, and the same images took 35-52 s here against 26-28 s in a JVM of their own.
     */
    double rawSeconds(List<byte[]> images, String name) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(logDir.resolve("raw-" + name));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(workerJvmOptions());
        command.addAll(List.of("-cp", WORKER_JAR.toString(), "dev.hybrid.worker.RawInference", "--threads", "1",
                "--batch", "10", "--profile", "cse546"));
        for (int i = 0; i < images.size(); i++) {
            Path file = dir.resolve(i + ".jpg");
            Files.write(file, images.get(i));
            command.add(file.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(logDir.resolve("raw-" + name + ".log").toFile());
        builder.environment().putAll(environment());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher millis = Pattern.compile("\"millis\":(\\d+)").matcher(output);
        if (process.waitFor() != 0 || !millis.find()) {
            throw new IllegalStateException("raw inference failed (exit " + process.exitValue() + "), see " + logDir.resolve("raw-" + name + ".log"));
        }
        return Long.parseLong(millis.group(1)) / 1e3;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int visibleMessages(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    int inFlightMessages(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static Path locateRepo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("app-tier"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the repository");
        }
        return dir;
    }

    @Override
    public void close() throws Exception {
        for (ChildJvm worker : workers) {
            worker.close();
        }
        if (web != null) {
            web.close();
        }
        sqs.close();
        s3.close();
        aws.close();
    }
}
