package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hybrid.localaws.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The whole AWS walk, {@code hybrid plan/up/status/teardown --aws moto}, against moto's server: the
 * hybrid command runs as its own process with the SDK's standard {@code AWS_ENDPOINT_URL} and a
 * profile, the way a user points it at an endpoint. Every call passes through a
 * {@link RecordingProxy}, so the test knows what each run did; Debian's aws CLI reads back what is
 * left, independently of hybrid's code.
 *
 * <p>moto never runs user data: an instance runs nothing. The image builder would power itself off
 * when its recipe is done; here the test plays that part by stopping the builder instance as soon as
 * it runs.
 */
class MotoCloudWalkTest {
    private static final String STACK = "motowalk";
    private static MotoServer moto;
    private static RecordingProxy proxy;

    @TempDir
    Path dir;
    private HybridProcess hybrid;
    private AwsCli cli;
    private Ec2Client ec2;
    private MotoClients aws;
    private Map<String, TreeSet<String>> before;
    /** How many builders the last {@link #upPlayingTheBuilder()} powered off. */
    private int buildersStopped;

    @BeforeAll
    static void startMoto() throws IOException {
        moto = MotoServer.shared();
        proxy = new RecordingProxy(moto.endpoint());
    }

    @AfterAll
    static void stopMoto() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        moto.reset();
        proxy.clear();
        Path home = Files.createDirectories(dir.resolve("home"));
        // The bake hashes the worker jar; moto runs nothing, so any bytes do.
        Files.createDirectories(home.resolve("app-tier/target"));
        Files.writeString(home.resolve("app-tier/target/hybrid-app-tier.jar"), "a worker jar for moto", StandardCharsets.UTF_8);
        Files.createDirectories(home.resolve("web-tier/target"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(dir.resolve("config"), "[profile moto]\nregion = " + MotoServer.REGION + "\n");
        Files.writeString(dir.resolve("credentials"), "[moto]\naws_access_key_id = " + MotoServer.ACCESS_KEY_ID
                + "\naws_secret_access_key = " + MotoServer.SECRET_ACCESS_KEY + "\n");
        Map<String, String> env = new HashMap<>();
        env.put("AWS_CONFIG_FILE", dir.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("credentials").toString());
        env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("HYBRID_S3_PATH_STYLE", "true");
        env.put("HYBRID_HOME", home.toString());
        env.put("HYBRID_STATE_DIR", dir.resolve("state").toString());
        hybrid = new HybridProcess(work, env);
        cli = new AwsCli(moto.endpoint());
        aws = new MotoClients(moto.endpoint());
        ec2 = aws.ec2;
        before = MotoInventory.of(aws);
    }

    @AfterEach
    void closeClient() {
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void planUpStatusNoOpUpAndTeardownLeaveNothing() throws Exception {
        HybridProcess.Result plan = hybrid.run("--stack", STACK, "-o", "json", "plan", "--aws", "moto");
        assertEquals(0, plan.exitCode(), plan::toString);
        assertEquals(List.of(), proxy.mutating(), "plan only reads");
        Map<String, String> planned = actions(plan.json());
        // The workers' fleet always "exists" (possibly empty): the autoscaler, not up, sizes it.
        assertEquals("keep", planned.remove(AppWorkers.KEY), planned::toString);
        assertTrue(planned.values().stream().allMatch("create"::equals), () -> "a plan on an empty account creates the rest: " + planned);
        assertEquals(11, planned.size(), planned::toString);

        proxy.clear();
        long started = System.nanoTime();
        HybridProcess.Result up = upPlayingTheBuilder();
        report("up", started, up);
        assertEquals(0, up.exitCode(), up::toString);
        assertEquals(1, buildersStopped, "one builder ran until the test powered it off");
        Map<String, String> created = actions(up.json());
        assertEquals(12, created.size(), () -> "every resource of the graph: " + created);
        assertExactlyOneStack();

        proxy.clear();
        HybridProcess.Result status = hybrid.run("--stack", STACK, "-o", "json", "status", "--aws", "moto");
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.json().path("deployed").asBoolean(), status::toString);
        assertEquals(List.of(), proxy.mutating(), "status only reads");

        proxy.clear();
        started = System.nanoTime();
        HybridProcess.Result again = hybrid.run("--stack", STACK, "-o", "json", "up", "--aws", "moto");
        report("no-op up", started, again);
        assertEquals(0, again.exitCode(), again::toString);
        Map<String, String> second = actions(again.json());
        assertTrue(second.values().stream().allMatch("keep"::equals), () -> "a second up keeps everything: " + second);
        assertEquals(List.of(), proxy.mutating(), "a second up makes no mutating call");
        assertEquals(created.keySet(), second.keySet());

        proxy.clear();
        started = System.nanoTime();
        HybridProcess.Result teardown = hybrid.run("--stack", STACK, "-o", "json", "teardown", "--aws", "moto", "--yes");
        report("teardown", started, teardown);
        assertEquals(0, teardown.exitCode(), teardown::toString);
        assertEquals(before, cli.inventory(), "teardown leaves nothing that was not there before up, as Debian's aws CLI sees it");
    }

    /**
     * {@code up} killed with SIGKILL right after moto carried out one of its creating calls, before
     * the answer reached it: the next {@code up} converges to exactly one of each.
     *
     * <p>No teardown process here (a JVM start each, a third of these cases' time): the converged
     * account is checked kind by kind to hold exactly what a clean {@code up} makes, no more (no stray
     * of the killed deployment, no builder left running), and teardown from that state is
     * {@link #planUpStatusNoOpUpAndTeardownLeaveNothing}'s. The next case starts from moto's reset.
     */
    @ParameterizedTest(name = "killed after {0}")
    @ValueSource(strings = {"iam:CreateRole", "iam:CreateAccessKey", "ec2:RunInstances", "ec2:CreateImage", "ec2:CreateLaunchTemplate",
            "sqs:CreateQueue", "s3:PUT bucket"})
    void upKilledDuringAResourceConvergesOnTheNextUp(String operation) throws Exception {
        Process[] killed = new Process[1];
        proxy.onceAfter(operation, () -> {
            killed[0].destroyForcibly(); // SIGKILL
            try {
                killed[0].waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killed[0] = hybrid.start("--stack", STACK, "-o", "json", "up", "--aws", "moto");
        AtomicInteger stopped = new AtomicInteger();
        while (killed[0].isAlive()) {
            stopBuilders(stopped);
            Thread.sleep(200);
        }
        assertEquals(137, killed[0].exitValue(), () -> "up was killed after " + operation + ": " + hybrid.result(killed[0]));

        HybridProcess.Result next = upPlayingTheBuilder();
        assertEquals(0, next.exitCode(), next::toString);
        assertExactlyOneStack();
    }

    private void stopBuilders(AtomicInteger stopped) {
        List<String> running = builders("running");
        if (!running.isEmpty()) {
            ec2.stopInstances(b -> b.instanceIds(running));
            stopped.addAndGet(running.size());
        }
    }

    /**
     * Figures, printed and not asserted: the process's wall time, the walk's own time, and the API
     * calls that went through the proxy, by operation.
     */
    static void report(String what, long startedNanos, HybridProcess.Result result) {
        Map<String, Long> byOperation = new TreeMap<>(proxy.calls().stream()
                .collect(java.util.stream.Collectors.groupingBy(call -> call, java.util.stream.Collectors.counting())));
        System.out.printf(java.util.Locale.ROOT, "moto figures: %s: %.1f s process, %.1f s walk, %d API calls (%d mutating) over %d resources: %s%n",
                what, (System.nanoTime() - startedNanos) / 1e9, result.json().path("elapsedMillis").asLong() / 1000.0, proxy.calls().size(),
                proxy.mutating().size(), result.json().path("resources").size(), byOperation);
    }

    /** Runs {@code up}, stopping the image builder the moment it runs, as its recipe's power-off would. */
    HybridProcess.Result upPlayingTheBuilder() throws InterruptedException {
        Process up = hybrid.start("--stack", STACK, "-o", "json", "up", "--aws", "moto");
        AtomicInteger stopped = new AtomicInteger();
        while (up.isAlive()) {
            stopBuilders(stopped);
            Thread.sleep(200);
        }
        buildersStopped = stopped.get();
        return hybrid.result(up);
    }

    List<String> builders(String state) {
        return ec2.describeInstances(b -> b.filters(Filter.builder().name("tag:hybrid:role").values(AppImage.BUILDER_ROLE).build(),
                        Filter.builder().name("instance-state-name").values(state).build()))
                .reservations().stream().flatMap(r -> r.instances().stream()).map(Instance::instanceId).toList();
    }

    /** What up made, read back with the test's own clients: one of each, and no builder left running. */
    void assertExactlyOneStack() {
        Map<String, TreeSet<String>> now = MotoInventory.of(aws);
        Map<String, Integer> added = new TreeMap<>();
        now.forEach((kind, ids) -> {
            TreeSet<String> fresh = new TreeSet<>(ids);
            fresh.removeAll(before.get(kind));
            added.put(kind, fresh.size());
        });
        assertEquals(Map.ofEntries(Map.entry("instances", 0), Map.entry("images", 1), Map.entry("snapshots", 1),
                Map.entry("launch-templates", 1), Map.entry("security-groups", 1), Map.entry("roles", 1), Map.entry("users", 1),
                Map.entry("access-keys", 1), Map.entry("instance-profiles", 1), Map.entry("queues", 3), Map.entry("buckets", 3)), added,
                () -> "one of each: " + now);
    }

    /** {@code resource key -> action} of a JSON report; a resource with two changes shows both. */
    static Map<String, String> actions(JsonNode report) {
        Map<String, String> actions = new TreeMap<>();
        for (JsonNode resource : report.path("resources")) {
            List<String> each = StreamSupport.stream(resource.path("changes").spliterator(), false)
                    .map(change -> change.path("action").asText()).toList();
            assertFalse(resource.path("status").asText().equals("failed"), () -> resource.toString());
            actions.put(resource.path("key").asText(), String.join("+", each));
        }
        return actions;
    }
}
