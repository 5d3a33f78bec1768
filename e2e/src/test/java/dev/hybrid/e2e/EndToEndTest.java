package dev.hybrid.e2e;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.contract.S3Layout;
import dev.hybrid.worker.model.Classifiers;
import dev.hybrid.worker.model.ImageClassifier;
import dev.hybrid.worker.model.ModelSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jars as processes, ElasticMQ and S3Proxy on loopback, and nothing stubbed. */
class EndToEndTest {
    private static final int IMAGES = 100;
    private static List<byte[]> images;
    private static List<String> expected;
    private Pipeline pipeline;

    @BeforeAll
    static void classifyInThisJvm() {
        images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(GeneratedImages.image(i, 64, 64, "jpg"));
        }
        // The right answer is what the same model gives for the same bytes here, in-process.
        try (ImageClassifier classifier = Classifiers.load(ModelSettings.of(null, null, "cse546"))) {
            expected = classifier.classify(images).stream()
                    .map(outcome -> ((ImageClassifier.Outcome.Labels) outcome).top5().get(0).label()).toList();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private List<HttpResponse<String>> uploadAll(Uploads uploads) {
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            inFlight.add(uploads.send(i % 2 == 0 ? "myfile" : "inputFile", "test_" + i + ".JPEG", images.get(i), Duration.ofSeconds(240)));
        }
        return inFlight.stream().map(CompletableFuture::join).toList();
    }

    /** The one key in the bucket that ends in {@code suffix}. */
    private String keyEndingIn(String bucket, String suffix) {
        List<String> keys = pipeline.s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(object -> object.key()).filter(key -> key.endsWith(suffix)).toList();
        assertEquals(1, keys.size(), suffix + ": " + keys);
        return keys.get(0);
    }

    @Test
    void aHundredConcurrentUploadsGetAHundredCorrectReplies(@TempDir Path logs) throws Exception {
        pipeline = new Pipeline(logs, 30);
        pipeline.startWeb("--reply", "label");
        pipeline.startWorker("a", "--threads", "1").awaitReady(Duration.ofSeconds(120));
        pipeline.startWorker("b", "--threads", "1").awaitReady(Duration.ofSeconds(120));

        List<HttpResponse<String>> replies = uploadAll(new Uploads(pipeline.webUrl));
        for (int i = 0; i < IMAGES; i++) {
            assertEquals(200, replies.get(i).statusCode(), "image " + i + ": " + replies.get(i).body());
            assertEquals(expected.get(i), replies.get(i).body(), "image " + i);
            // Keys are <requestId>/<safe name>: find this image's by its name.
            String name = "test_" + i + ".JPEG";
            String imageKey = keyEndingIn(pipeline.inputBucket, "/" + name);
            String labelKey = imageKey.substring(0, imageKey.indexOf('/')) + "/" + S3Layout.stem(name);
            assertEquals(S3Layout.inputKey(imageKey.substring(0, imageKey.indexOf('/')), name), imageKey);
            assertEquals(expected.get(i), pipeline.s3.getObjectAsBytes(b -> b.bucket(pipeline.outputBucket).key(labelKey)).asUtf8String());
            assertArrayEquals(images.get(i), pipeline.s3.getObjectAsBytes(b -> b.bucket(pipeline.inputBucket).key(imageKey)).asByteArray());
        }
        assertEquals(0, pipeline.visibleMessages(pipeline.requestQueue) + pipeline.inFlightMessages(pipeline.requestQueue));
        assertEquals(0, pipeline.visibleMessages(pipeline.deadLetterQueue));
        long deadline = System.currentTimeMillis() + 30_000;
        while (pipeline.visibleMessages(pipeline.responseQueue) + pipeline.inFlightMessages(pipeline.responseQueue) > 0
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, pipeline.visibleMessages(pipeline.responseQueue) + pipeline.inFlightMessages(pipeline.responseQueue));
    }

    @Test
    void aWorkerKilledMidBatchLosesNothingAndMisroutesNothing(@TempDir Path logs) throws Exception {
        // Short visibility timeout: what the killed worker held comes back to the survivor within seconds.
        pipeline = new Pipeline(logs, 4);
        pipeline.startWeb("--reply", "name-label");
        ChildJvm doomed = pipeline.startWorker("doomed", "--threads", "1");
        doomed.awaitReady(Duration.ofSeconds(120));

        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        Uploads uploads = new Uploads(pipeline.webUrl);
        for (int i = 0; i < IMAGES; i++) {
            inFlight.add(uploads.send("myfile", "test_" + i + ".JPEG", images.get(i), Duration.ofSeconds(240)));
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (pipeline.inFlightMessages(pipeline.requestQueue) == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(pipeline.inFlightMessages(pipeline.requestQueue) > 0, "the worker held a batch when it was killed");
        doomed.kill();
        pipeline.startWorker("survivor", "--threads", "1").awaitReady(Duration.ofSeconds(120));

        for (int i = 0; i < IMAGES; i++) {
            HttpResponse<String> reply = inFlight.get(i).join();
            assertEquals(200, reply.statusCode(), "image " + i + ": " + reply.body());
            assertEquals("test_" + i + ":" + expected.get(i), reply.body(), "no reply went to the wrong request");
        }
        assertEquals(0, pipeline.visibleMessages(pipeline.deadLetterQueue));
    }
}
