package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.cli.engine.Action;
import dev.hybrid.cli.engine.Change;
import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.StateCache;
import dev.hybrid.cli.engine.Walker;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.localaws.LocalAws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sqs.model.Message;

/** The AWS side against real ElasticMQ and S3Proxy on loopback. */
class AwsStackTest {
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static LocalAws local;
    private static AwsClients aws;
    private static final CallRecorder calls = new CallRecorder();

    @TempDir
    Path stateDir;
    private String stack;
    private Walker walker;

    @BeforeAll
    static void startEmulators() {
        local = LocalAws.startInMemory();
        aws = new AwsClients(AwsTarget.local(local.sqsEndpoint(), local.s3Endpoint()), List.of(calls));
    }

    @AfterAll
    static void stopEmulators() {
        aws.close();
        local.close();
    }

    @BeforeEach
    void freshStack() {
        stack = "t" + STACKS.incrementAndGet();
        walker = new Walker(4, ProgressListener.NONE);
    }

    private Graph graph() {
        return Graph.of(AwsStack.resources(aws));
    }

    private List<String> queueNames() {
        return aws.sqs().listQueues(b -> b.queueNamePrefix("hybrid-" + stack + "-")).queueUrls().stream()
                .map(url -> url.substring(url.lastIndexOf('/') + 1)).sorted().toList();
    }

    private List<String> bucketNames() {
        return aws.s3().listBuckets().buckets().stream().map(b -> b.name())
                .filter(name -> name.startsWith("hybrid-" + stack + "-")).sorted().toList();
    }

    @Test
    void upTwiceCreatesOnceAndTheSecondUpMakesNoMutatingCall() {
        String deployment = DeploymentIds.newId();
        WalkReport first = walker.up(graph(), new StackContext(stack, deployment));
        assertTrue(first.succeeded(), first.toString());
        assertEquals(6, first.changes().stream().filter(c -> c.action() == Action.CREATE).count());
        assertEquals(List.of("hybrid-" + stack + "-dlq-" + deployment, "hybrid-" + stack + "-request-" + deployment,
                "hybrid-" + stack + "-response-" + deployment), queueNames());
        assertEquals(List.of("hybrid-" + stack + "-artifacts-000000000000-us-east-1", "hybrid-" + stack + "-input-000000000000-us-east-1",
                "hybrid-" + stack + "-output-000000000000-us-east-1"), bucketNames());

        calls.clear();
        WalkReport second = walker.up(graph(), new StackContext(stack, deployment));
        assertTrue(second.succeeded(), second.toString());
        assertFalse(second.mutates(), second.changes().toString());
        assertEquals(List.of(), calls.mutating());
        assertFalse(calls.all().isEmpty(), "the second up looked");
        assertEquals(3, queueNames().size());
        assertEquals(3, bucketNames().size());
        assertEquals(first.outputs(), second.outputs());
        String requestUrl = second.outputs().get(SqsQueue.keyFor("request")).get(SqsQueue.URL.name());
        assertTrue(requestUrl.startsWith("http://127.0.0.1:"), requestUrl);
    }

    @Test
    void requestQueueHasLongPollingAndRedrivesToTheDeadLetterQueue() {
        String deployment = DeploymentIds.newId();
        WalkReport up = walker.up(Graph.of(AwsStack.resources(aws, 1)), new StackContext(stack, deployment));
        assertTrue(up.succeeded(), up.toString());
        String requestUrl = up.outputs().get("sqs:request").get(SqsQueue.URL.name());
        String deadLetterUrl = up.outputs().get("sqs:dlq").get(SqsQueue.URL.name());
        Map<String, String> attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(requestUrl).attributeNamesWithStrings("All"))
                .attributesAsStrings();
        assertEquals("20", attributes.get("ReceiveMessageWaitTimeSeconds"));
        assertEquals("1", attributes.get("VisibilityTimeout"));
        assertTrue(attributes.get("RedrivePolicy").contains(up.outputs().get("sqs:dlq").get(SqsQueue.ARN.name())));

        aws.sqs().sendMessage(b -> b.queueUrl(requestUrl).messageBody("poison"));
        int receives = 0;
        for (int attempt = 0; attempt < 15; attempt++) {
            List<Message> got = aws.sqs().receiveMessage(b -> b.queueUrl(requestUrl).waitTimeSeconds(2)).messages();
            receives += got.size();
            if (receives >= 5 && got.isEmpty()) {
                break; // the receive after the fifth found nothing: the message has moved on (or is lost)
            }
        }
        assertEquals(5, receives, "received maxReceiveCount times, then moved");
        List<Message> dead = aws.sqs().receiveMessage(b -> b.queueUrl(deadLetterUrl).waitTimeSeconds(2)).messages();
        assertEquals(List.of("poison"), dead.stream().map(Message::body).toList());
    }

    @Test
    void planMakesNoMutatingCallAndShowsWhatUpWouldDo() {
        String deployment = DeploymentIds.newId();
        calls.clear();
        WalkReport plan = walker.plan(graph(), new StackContext(stack, deployment));
        assertTrue(plan.succeeded(), plan.toString());
        assertEquals(List.of(), calls.mutating());
        assertEquals(6, plan.changes().stream().filter(c -> c.action() == Action.CREATE).count());
        assertEquals(List.of(), queueNames());
        assertEquals(List.of(), bucketNames());

        walker.up(graph(), new StackContext(stack, deployment));
        String requestUrl = aws.sqs().getQueueUrl(b -> b.queueName("hybrid-" + stack + "-request-" + deployment)).queueUrl();
        aws.sqs().setQueueAttributes(b -> b.queueUrl(requestUrl).attributesWithStrings(Map.of("VisibilityTimeout", "7")));
        calls.clear();
        WalkReport drift = walker.plan(graph(), new StackContext(stack, deployment));
        assertEquals(List.of(), calls.mutating());
        Change request = drift.changes().stream().filter(c -> c.key().equals("sqs:request")).findFirst().orElseThrow();
        assertEquals(Action.UPDATE, request.action());
        assertTrue(request.reason().contains("VisibilityTimeout 7 -> 120"), request.reason());
        assertEquals(1, drift.changes().stream().filter(c -> c.action() != Action.KEEP).count());

        walker.up(graph(), new StackContext(stack, deployment));
        assertFalse(walker.plan(graph(), new StackContext(stack, deployment)).mutates());
    }

    @Test
    void teardownLeavesNothingEvenWithObjectsInTheBuckets() {
        WalkReport up = walker.up(graph(), new StackContext(stack, DeploymentIds.newId()));
        String input = up.outputs().get(S3Bucket.keyFor(AwsStack.INPUT)).get(S3Bucket.NAME.name());
        aws.s3().putObject(b -> b.bucket(input).key("test_0.JPEG"), RequestBody.fromString("image"));
        aws.s3().putObject(b -> b.bucket(input).key("claim-check/abc"), RequestBody.fromString("image"));

        WalkReport teardown = walker.teardown(graph(), new StackContext(stack, up.deploymentId()));
        assertTrue(teardown.succeeded(), teardown.toString());
        assertEquals(6, teardown.changes().stream().filter(c -> c.action() == Action.DELETE).count());
        assertEquals(List.of(), queueNames());
        assertEquals(List.of(), bucketNames());
        assertEquals(List.of(), walker.teardown(graph(), new StackContext(stack, up.deploymentId())).changes(),
                "a second teardown finds nothing");
    }

    @Test
    void aLostStateFileStillFindsTheDeploymentByTagsAndTearsEverythingDown() throws Exception {
        StateCache cache = new StateCache(stateDir, stack);
        String deployment = DeploymentIds.existing(stack, cache, walker, graph()).orElseGet(DeploymentIds::newId);
        WalkReport up = walker.up(graph(), new StackContext(stack, deployment));
        cache.write(stack, deployment, up.outputs());
        assertEquals(Set.of("rw-------"), Set.of(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cache.file()))));
        Files.delete(cache.file());

        assertEquals(deployment, DeploymentIds.existing(stack, cache, walker, graph()).orElseThrow());
        // Even a deployment id that knows nothing of the old one removes all that carries the stack's tags.
        WalkReport teardown = walker.teardown(graph(), new StackContext(stack, DeploymentIds.newId()));
        assertTrue(teardown.succeeded(), teardown.toString());
        assertEquals(List.of(), queueNames());
        assertEquals(List.of(), bucketNames());
        assertTrue(DeploymentIds.existing(stack, cache, walker, graph()).isEmpty());
    }

    @Test
    void tagsOutvoteAStaleStateCache() {
        StateCache cache = new StateCache(stateDir, stack);
        String deployment = DeploymentIds.newId();
        walker.up(graph(), new StackContext(stack, deployment));
        cache.write(stack, "stale000", Map.of());
        assertEquals(deployment, DeploymentIds.existing(stack, cache, walker, graph()).orElseThrow());
        walker.teardown(graph(), new StackContext(stack, deployment));
        assertEquals("stale000", DeploymentIds.existing(stack, cache, walker, graph()).orElseThrow(),
                "with nothing tagged, the cache still remembers a deployment that never got a resource");
    }

    @Test
    void teardownThenUpUsesFreshQueueNames() {
        String first = DeploymentIds.newId();
        walker.up(graph(), new StackContext(stack, first));
        walker.teardown(graph(), new StackContext(stack, first));
        String second = DeploymentIds.newId();
        WalkReport up = walker.up(graph(), new StackContext(stack, second));
        assertTrue(up.succeeded(), up.toString());
        assertTrue(queueNames().stream().allMatch(name -> name.endsWith("-" + second)), queueNames().toString());
    }

    @Test
    void upAfterAnInterruptedUpAdoptsWhatExistsAndDeletesStrays() {
        String deployment = DeploymentIds.newId();
        StackContext context = new StackContext(stack, deployment);
        String stray = "hybrid-" + stack + "-response-" + "zzzzzzzz";
        aws.sqs().createQueue(b -> b.queueName(stray).tags(Map.of("hybrid:stack", stack, "hybrid:role", "response",
                "hybrid:deployment", "zzzzzzzz")));
        new SqsQueue(aws.sqs(), QueueSpec.deadLetter()).create(context);
        aws.s3().createBucket(b -> b.bucket(new S3Bucket(aws, AwsStack.INPUT).nameFor(context)));

        WalkReport up = walker.up(graph(), context);
        assertTrue(up.succeeded(), up.toString());
        Map<String, List<Action>> actions = up.changes().stream()
                .collect(Collectors.groupingBy(Change::key, Collectors.mapping(Change::action, Collectors.toList())));
        assertEquals(List.of(Action.KEEP), actions.get("sqs:dlq"));
        assertEquals(List.of(Action.DELETE, Action.CREATE), actions.get("sqs:response"));
        assertEquals(List.of(Action.UPDATE), actions.get("s3:input"), "adopted and given default encryption");
        assertEquals(3, queueNames().size());
        assertFalse(queueNames().contains(stray));
    }

    @Test
    void aVersionedBucketWithOldVersionsAndDeleteMarkersIsEmptiedAndDeleted() {
        WalkReport up = walker.up(graph(), new StackContext(stack, DeploymentIds.newId()));
        String output = up.outputs().get(S3Bucket.keyFor(AwsStack.OUTPUT)).get(S3Bucket.NAME.name());
        aws.s3().putBucketVersioning(b -> b.bucket(output).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        for (int version = 0; version < 3; version++) {
            String body = "label" + version;
            aws.s3().putObject(b -> b.bucket(output).key("test_0"), RequestBody.fromString(body));
            aws.s3().putObject(b -> b.bucket(output).key("test_1"), RequestBody.fromString(body));
        }
        aws.s3().deleteObject(b -> b.bucket(output).key("test_0"));
        var versions = aws.s3().listObjectVersions(b -> b.bucket(output));
        assertEquals(6, versions.versions().size());
        assertEquals(1, versions.deleteMarkers().size());
        assertTrue(aws.s3().listObjectsV2(b -> b.bucket(output)).contents().stream().noneMatch(o -> o.key().equals("test_0")),
                "a plain listing no longer shows the deleted key, yet its versions remain");

        WalkReport teardown = walker.teardown(graph(), new StackContext(stack, up.deploymentId()));
        assertTrue(teardown.succeeded(), teardown.toString());
        assertEquals(List.of(), bucketNames());
    }

    @Test
    void bucketNamesStayValidForLongStacksAndRegions() {
        String name = BucketNames.of("a-very-long-stack-name", "artifacts", "123456789012", "ap-southeast-2");
        assertTrue(name.length() <= 63, name);
        assertTrue(name.matches("[a-z0-9][a-z0-9-]*[a-z0-9]"), name);
        assertNotEquals(name, BucketNames.of("a-very-long-stack-name2", "artifacts", "123456789012", "ap-southeast-2"));
        assertEquals("hybrid-prod-input-123456789012-eu-west-1", BucketNames.of("prod", "input", "123456789012", "eu-west-1"));
    }
}
