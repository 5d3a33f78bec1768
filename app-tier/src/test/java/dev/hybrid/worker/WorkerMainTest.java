package dev.hybrid.worker;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.localaws.LocalAws;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkerMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<ModelOptions> loaded = new AtomicReference<>();

    private int run(Map<String, String> env, String... args) {
        return WorkerMain.run(args, env, options -> {
            loaded.set(options);
            return new StandInClassifier(Duration.ZERO);
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("HYBRID_REQUEST_QUEUE_URL", "http://127.0.0.1:1/000000000000/requests");
        env.put("HYBRID_RESPONSE_QUEUE_URL", "http://127.0.0.1:1/000000000000/responses");
        env.put("HYBRID_INPUT_BUCKET", "in");
        env.put("HYBRID_OUTPUT_BUCKET", "out");
        return env;
    }

    private void assertConfigurationError(String expectedLine, int exitCode) {
        assertEquals(2, exitCode, stderr());
        assertEquals(expectedLine + System.lineSeparator(), stderr());
        assertNull(loaded.get(), "the model is not loaded for a configuration that cannot work");
    }

    private int runWithRealModels(String... args) {
        return WorkerMain.run(args, Map.of(), ModelLoading::load, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void prefetchLoadsTheModelAndExitsZeroWithoutAnyQueueSettings() throws Exception {
        String model = java.nio.file.Path.of(getClass().getResource("/equivalence/tiny.pt").toURI()).toUri().toString();
        String labels = java.nio.file.Path.of(getClass().getResource("/equivalence/labels.txt").toURI()).toString();
        assertEquals(0, runWithRealModels("--prefetch-model", "--model", model, "--labels", labels, "--profile", "cse546"), stderr());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("hybrid-worker prefetched model="), out.toString(StandardCharsets.UTF_8));
    }

    /** A bake must not make an image without weights: offline, the zoo model cannot be had, and that is a failure. */
    @Test
    void prefetchThatOnlyGetsTheUntrainedFallbackExitsOne() {
        assertEquals(1, runWithRealModels("--prefetch-model", "--model", "djl://ai.djl.pytorch/resnet"), stderr());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("could not be fetched; only the untrained fallback loaded"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void missingQueueNamesTheFlagAndTheVariable() {
        Map<String, String> env = complete();
        env.remove("HYBRID_REQUEST_QUEUE_URL");
        assertConfigurationError("hybrid-worker: missing --request-queue-url: set the flag or HYBRID_REQUEST_QUEUE_URL", run(env));
    }

    @Test
    void batchAboveTheSqsLimitIsRefused() {
        assertConfigurationError("hybrid-worker: --batch must be between 1 and 10 (SQS returns at most 10 messages), got 11",
                run(complete(), "--batch", "11"));
    }

    @Test
    void unparsableNumberFromTheEnvironmentIsOneLine() {
        Map<String, String> env = complete();
        env.put("HYBRID_WORKER_THREADS", "many");
        assertConfigurationError("hybrid-worker: Invalid value for option '--threads': 'many' is not an int (see --help)", run(env));
    }

    @Test
    void endpointMustBeAnHttpUrl() {
        Map<String, String> env = complete();
        env.put("AWS_ENDPOINT_URL", "127.0.0.1:9324");
        assertConfigurationError("hybrid-worker: --sqs-endpoint must be an http(s) URL such as http://127.0.0.1:9324, got '127.0.0.1:9324'",
                run(env));
    }

    @Test
    void unknownFlagIsOneLine() {
        assertConfigurationError("hybrid-worker: Unknown option: '--sqs-url=x' (see --help)", run(complete(), "--sqs-url=x"));
    }

    @Test
    void unreachableQueueIsOneLineExitOne() {
        int exitCode = run(complete(), "--region", LocalAws.REGION, "--sqs-endpoint", "http://127.0.0.1:1", "--s3-endpoint", "http://127.0.0.1:1");
        assertEquals(1, exitCode, stderr());
        assertTrue(stderr().startsWith("hybrid-worker: "), stderr());
        assertEquals(1, stderr().lines().count(), stderr());
    }

    @Test
    void runsFromTheEnvironmentAnswersAndExitsZeroWhenIdle() throws Exception {
        try (LocalQueues local = new LocalQueues(5)) {
            System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY_ID);
            System.setProperty("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
            Map<String, String> env = local.workerEnvironment();
            env.put("HYBRID_MODEL_PROFILE", "cse546");
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
                    run(env, "--idle-exit", "3", "--worker-id", "w-main", "--threads", "2"));
            ClassifyRequest request = local.send("a.png", StandInClassifier.fakePng(12));
            assertEquals("label-12", local.awaitReplies(1, Duration.ofSeconds(20)).get(request.requestId()).label());
            assertEquals(0, exit.get(40, TimeUnit.SECONDS), stderr());
            assertEquals("hybrid-worker ready worker=w-main model=stand-in untrained=false" + System.lineSeparator(),
                    out.toString(StandardCharsets.UTF_8));
            assertEquals(new ModelOptions("djl://ai.djl.pytorch/resnet", null, "cse546"), loaded.get());
        }
    }
}
