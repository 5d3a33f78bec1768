package dev.hybrid.web.scaling;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The EC2 provider against WireMock speaking EC2's query protocol to the real SDK: the exact requests,
 * instances that stay {@code pending} or {@code shutting-down} across calls, launch times days apart
 * (oldest parked first), and injected errors (throttling, no capacity, an unsupported type). The
 * happy paths against a live EC2 API are in {@link MotoEc2ComputeProviderTest}.
 */
class Ec2ComputeProviderTest {
    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /** Answers RunInstances with as many new instances as MaxCount asks for, as EC2 does when it has capacity. */
    static final class RunInstancesResponder implements ResponseDefinitionTransformerV2 {
        final AtomicInteger launched = new AtomicInteger();

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            int count = Integer.parseInt(form(event.getRequest().getBodyAsString()).get("MaxCount"));
            StringBuilder items = new StringBuilder();
            for (int i = 0; i < count; i++) {
                items.append(instance(String.format("i-new%05d", launched.incrementAndGet()), "pending", "2026-01-02T00:00:00.000Z"));
            }
            return ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withBody(ok("RunInstances", "<reservationId>r-new</reservationId><ownerId>123456789012</ownerId><instancesSet>"
                            + items + "</instancesSet>")).build();
        }

        @Override
        public String getName() {
            return "run-instances";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }

    private WireMockServer server;
    private Ec2Client ec2;
    private final RunInstancesResponder responder = new RunInstancesResponder();
    private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(responder));
        server.start();
        // The SDK's own retries are off so the provider's handling of throttling is what the test sees.
        ec2 = Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")))
                .httpClient(ApacheHttpClient.builder().build()).overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build();
        stub("RunInstances", aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withTransformers("run-instances"));
        for (String action : List.of("StartInstances", "StopInstances", "TerminateInstances")) {
            stub(action, xml(200, ok(action, "<instancesSet/>")));
        }
    }

    @AfterEach
    void stop() {
        ec2.close();
        server.stop();
    }

    private Ec2ComputeProvider provider(int max, int warmPool) {
        return new Ec2ComputeProvider(ec2, new Ec2ProviderSettings("s1", "lt-0app", max, warmPool, Duration.ofMinutes(5)), pauses::add);
    }

    private void stub(String action, ResponseDefinitionBuilder response) {
        server.stubFor(post(anyUrl()).withFormParam("Action", equalTo(action)).atPriority(10).willReturn(response));
    }

    private void describe(String... instances) {
        stub("DescribeInstances", xml(200, ok("DescribeInstances", "<reservationSet><item><reservationId>r-1</reservationId>"
                + "<ownerId>123456789012</ownerId><instancesSet>" + String.join("", instances) + "</instancesSet></item></reservationSet>")));
    }

    static String instance(String id, String state, String launchTime) {
        return "<item><instanceId>" + id + "</instanceId><instanceState><code>0</code><name>" + state + "</name></instanceState>"
                + "<launchTime>" + launchTime + "</launchTime></item>";
    }

    static String ok(String action, String body) {
        return "<" + action + "Response xmlns=\"" + NS + "\"><requestId>req-1</requestId>" + body + "</" + action + "Response>";
    }

    private static ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body);
    }

    private static ResponseDefinitionBuilder error(String code, String message) {
        return xml(400, "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message + "</Message></Error></Errors>"
                + "<RequestID>req-1</RequestID></Response>");
    }

    private List<Map<String, String>> requests(String action) {
        return server.findAll(postRequestedFor(anyUrl()).withFormParam("Action", equalTo(action))).stream()
                .map(r -> form(r.getBodyAsString())).toList();
    }

    static Map<String, String> form(String body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private int requestedInstances() {
        return requests("RunInstances").stream().mapToInt(r -> Integer.parseInt(r.get("MaxCount"))).sum();
    }

    @Test
    void concurrentScaleOutsNeverExceedTheMaximumCountingPendingInstances() throws Exception {
        describe(instance("i-old1", "running", "2026-01-01T00:00:00.000Z"), instance("i-old2", "running", "2026-01-01T00:00:00.000Z"),
                instance("i-old3", "pending", "2026-01-01T00:00:00.000Z"));
        Ec2ComputeProvider provider = provider(20, 0);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return provider.activate(5);
            }));
        }
        go.countDown();
        int activated = 0;
        for (Future<Integer> result : results) {
            activated += result.get();
        }
        pool.shutdown();
        assertEquals(17, activated, "3 existed (one pending), so 17 more fit under 20");
        assertEquals(17, requestedInstances(), "EC2 was never asked for more than fit");
        FleetCounts counts = provider.counts();
        assertEquals(20, counts.live(), counts.toString());
        assertEquals(18, counts.starting(), "the pending one and the 17 just launched");

        int runsBefore = requests("RunInstances").size();
        assertEquals(0, provider.activate(5));
        assertEquals(runsBefore, requests("RunInstances").size(), "at the maximum nothing is launched");

        for (Map<String, String> run : requests("RunInstances")) {
            assertEquals("lt-0app", run.get("LaunchTemplate.LaunchTemplateId"));
            assertEquals("$Default", run.get("LaunchTemplate.Version"));
            assertEquals("1", run.get("MinCount"));
            assertTrue(run.get("ClientToken").startsWith("s1-"), run.toString());
        }
        assertEquals(requests("RunInstances").size(), requests("RunInstances").stream().map(r -> r.get("ClientToken")).distinct().count(),
                "every launch decision has its own token");
        Map<String, String> describe = requests("DescribeInstances").get(0);
        assertEquals("tag:hybrid:stack", describe.get("Filter.1.Name"));
        assertEquals("s1", describe.get("Filter.1.Value.1"));
        assertEquals("tag:hybrid:role", describe.get("Filter.2.Name"));
        assertEquals("app-worker", describe.get("Filter.2.Value.1"));
        assertEquals("instance-state-name", describe.get("Filter.3.Name"));
        assertEquals("pending", describe.get("Filter.3.Value.1"));
    }

    @Test
    void aThrottledLaunchIsRetriedWithTheSameClientToken() {
        describe();
        server.stubFor(post(anyUrl()).withFormParam("Action", equalTo("RunInstances")).atPriority(1).inScenario("throttle")
                .whenScenarioStateIs(STARTED).willSetStateTo("calm").willReturn(error("RequestLimitExceeded", "Request limit exceeded.")));
        Ec2ComputeProvider provider = provider(20, 0);
        assertEquals(2, provider.activate(2));
        List<Map<String, String>> runs = requests("RunInstances");
        assertEquals(2, runs.size());
        assertEquals(runs.get(0).get("ClientToken"), runs.get(1).get("ClientToken"));
        assertEquals("2", runs.get(1).get("MaxCount"));
        assertEquals(List.of(Duration.ofMillis(500)), pauses);
    }

    @Test
    void insufficientCapacityPausesLaunchesInsteadOfRetryingAtOnce() {
        describe();
        stub("RunInstances", error("InsufficientInstanceCapacity", "We currently do not have sufficient t3.medium capacity in the "
                + "Availability Zone you requested (us-east-1a)."));
        Ec2ComputeProvider provider = provider(20, 0);
        assertEquals(0, provider.activate(3));
        assertEquals(0, provider.activate(3));
        assertEquals(1, requests("RunInstances").size(), "the second scale-out waited out the pause");
        assertEquals(0, provider.counts().live());
    }

    @Test
    void anUnsupportedInstanceTypeIsReportedAndPausesLaunches() {
        describe();
        stub("RunInstances", error("Unsupported", "The requested configuration is currently not supported."));
        Ec2ComputeProvider provider = provider(20, 0);
        assertEquals(0, provider.activate(1));
        assertEquals(0, provider.replenishWarmPool(5));
        assertEquals(1, requests("RunInstances").size());
    }

    @Test
    void scaleOutStartsParkedInstancesFirstOldestFirst() {
        describe(instance("i-warm-new", "stopped", "2026-01-03T00:00:00.000Z"), instance("i-warm-old", "stopped", "2026-01-01T00:00:00.000Z"),
                instance("i-busy", "running", "2026-01-01T00:00:00.000Z"));
        Ec2ComputeProvider provider = provider(20, 2);
        assertEquals(3, provider.activate(3));
        Map<String, String> start = requests("StartInstances").get(0);
        assertEquals("i-warm-old", start.get("InstanceId.1"));
        assertEquals("i-warm-new", start.get("InstanceId.2"));
        assertEquals("1", requests("RunInstances").get(0).get("MaxCount"), "only the rest is launched");
        FleetCounts counts = provider.counts();
        assertEquals(0, counts.warm(), "EC2 still says stopped, but they are starting: " + counts);
        assertEquals(3, counts.starting());
    }

    @Test
    void scaleInParksUpToThePoolAndTerminatesTheRest() {
        describe(instance("i-a", "running", "2026-01-01T00:00:00.000Z"), instance("i-b", "running", "2026-01-02T00:00:00.000Z"),
                instance("i-c", "running", "2026-01-03T00:00:00.000Z"));
        Ec2ComputeProvider provider = provider(20, 1);
        assertEquals(2, provider.deactivate(2, true));
        assertEquals(Map.of("Action", "StopInstances", "Version", "2016-11-15", "InstanceId.1", "i-c"), requests("StopInstances").get(0));
        assertEquals("i-b", requests("TerminateInstances").get(0).get("InstanceId.1"));
        FleetCounts counts = provider.counts();
        assertEquals(1, counts.running(), counts.toString());
        assertEquals(1, counts.stopping(), "terminating: " + counts);
        assertEquals(1, counts.warming(), "being parked: " + counts);
        assertEquals(3, counts.live(), "both still count against the maximum");
    }

    @Test
    void scaleInParksPendingPoolInstancesOnceRunningInsteadOfTerminatingThem() {
        describe(instance("i-pool1", "stopped", "2026-01-01T00:00:00.000Z"), instance("i-pool2", "stopped", "2026-01-01T00:00:00.000Z"));
        Ec2ComputeProvider provider = provider(20, 2);
        assertEquals(3, provider.activate(3), "both parked ones and one launch");
        describe(instance("i-pool1", "running", "2026-01-01T00:00:00.000Z"), instance("i-pool2", "pending", "2026-01-01T00:00:00.000Z"),
                instance("i-new00001", "pending", "2026-01-02T00:00:00.000Z"));

        // The burst is over before i-pool2 has booted: the pool has room for both of its instances.
        assertEquals(3, provider.deactivate(3, true));
        assertEquals("i-pool1", requests("StopInstances").get(0).get("InstanceId.1"));
        Map<String, String> terminate = requests("TerminateInstances").get(0);
        assertEquals("i-new00001", terminate.get("InstanceId.1"), "the pool is full without it");
        assertNull(terminate.get("InstanceId.2"), "i-pool2 keeps its disk: " + terminate);
        FleetCounts counts = provider.counts();
        assertEquals(2, counts.warming(), "one being stopped, one to be stopped once running: " + counts);
        assertEquals(0, counts.serving(), counts.toString());
        assertEquals(0, provider.replenishWarmPool(10), "nothing to launch for a pool that is on its way to full");

        describe(instance("i-pool1", "stopped", "2026-01-01T00:00:00.000Z"), instance("i-pool2", "running", "2026-01-01T00:00:00.000Z"),
                instance("i-new00001", "shutting-down", "2026-01-02T00:00:00.000Z"));
        counts = provider.counts();
        assertEquals("i-pool2", requests("StopInstances").get(1).get("InstanceId.1"), "stopped as soon as it runs");
        assertEquals(1, counts.warm(), counts.toString());
        assertEquals(1, counts.warming(), counts.toString());
        assertTrue(requests("RunInstances").size() == 1, "no launch to refill the pool");
    }

    @Test
    void anInstanceParkedWhilePendingServesWhenActivatedAgain() {
        describe(instance("i-pool1", "stopped", "2026-01-01T00:00:00.000Z"));
        Ec2ComputeProvider provider = provider(20, 1);
        assertEquals(1, provider.activate(1));
        describe(instance("i-pool1", "pending", "2026-01-01T00:00:00.000Z"));
        assertEquals(1, provider.deactivate(1, true));
        assertEquals(1, provider.counts().warming());

        assertEquals(1, provider.activate(1), "demand is back before it has booted");
        describe(instance("i-pool1", "running", "2026-01-01T00:00:00.000Z"));
        FleetCounts counts = provider.counts();
        assertEquals(1, counts.running(), counts.toString());
        assertTrue(requests("StopInstances").isEmpty(), "it serves instead of being parked");
        assertTrue(requests("TerminateInstances").isEmpty());
    }

    @Test
    void theWarmPoolIsFilledByLaunchingAndParkingOnceRunning() {
        describe();
        Ec2ComputeProvider provider = provider(20, 2);
        assertEquals(2, provider.replenishWarmPool(10));
        assertEquals("2", requests("RunInstances").get(0).get("MaxCount"));
        assertEquals(2, provider.counts().warming());
        describe(instance("i-new00001", "running", "2026-01-02T00:00:00.000Z"), instance("i-new00002", "pending", "2026-01-02T00:00:00.000Z"));
        FleetCounts counts = provider.counts();
        assertEquals("i-new00001", requests("StopInstances").get(0).get("InstanceId.1"), "parked as soon as it runs");
        assertEquals(2, counts.warming(), "one being parked, one still pending: " + counts);
        assertEquals(0, provider.replenishWarmPool(10), "the pool is on its way to full");
        describe(instance("i-new00001", "stopped", "2026-01-02T00:00:00.000Z"), instance("i-new00002", "running", "2026-01-02T00:00:00.000Z"));
        counts = provider.counts();
        assertEquals(1, counts.warm(), counts.toString());
        assertEquals(1, counts.warming(), counts.toString());
        assertEquals("i-new00002", requests("StopInstances").get(1).get("InstanceId.1"));
    }

    @Test
    void closeTerminatesEveryWorkerParkedOnesIncludedAndWaitsUntilTheyAreGone() {
        server.stubFor(post(anyUrl()).withFormParam("Action", equalTo("DescribeInstances")).atPriority(1).inScenario("close")
                .whenScenarioStateIs(STARTED).willReturn(xml(200, ok("DescribeInstances", "<reservationSet><item><reservationId>r-1</reservationId>"
                        + "<ownerId>123456789012</ownerId><instancesSet>" + instance("i-run", "running", "2026-01-01T00:00:00.000Z")
                        + instance("i-park", "stopped", "2026-01-01T00:00:00.000Z") + "</instancesSet></item></reservationSet>"))));
        server.stubFor(post(anyUrl()).withFormParam("Action", equalTo("TerminateInstances")).atPriority(1).inScenario("close")
                .whenScenarioStateIs(STARTED).willSetStateTo("gone").willReturn(xml(200, ok("TerminateInstances", "<instancesSet/>"))));
        describe();
        provider(20, 1).close();
        Map<String, String> terminate = requests("TerminateInstances").get(0);
        assertEquals("i-run", terminate.get("InstanceId.1"));
        assertEquals("i-park", terminate.get("InstanceId.2"));
        assertEquals(1, requests("TerminateInstances").size());
        assertEquals(List.of(Duration.ofSeconds(5)), pauses, "one wait, then nothing was left");
    }
}
