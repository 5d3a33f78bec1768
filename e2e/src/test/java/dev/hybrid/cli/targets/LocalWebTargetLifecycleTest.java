package dev.hybrid.cli.targets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.hybrid.cli.aws.AppLaunchTemplate;
import dev.hybrid.cli.aws.AwsClients;
import dev.hybrid.cli.aws.AwsStack;
import dev.hybrid.cli.aws.AwsTarget;
import dev.hybrid.cli.aws.WebTierCredentials;
import dev.hybrid.cli.aws.WebTierUser;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.engine.Walker;
import dev.hybrid.cli.local.LocalWebRecord;
import dev.hybrid.cli.local.LocalWebTier;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.cli.output.Terminal;
import dev.hybrid.cli.service.WebHealthWait;
import dev.hybrid.localaws.LocalAws;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up/status/teardown --os-cloud local --aws PROFILE} over the real web-tier jar. The walk is up's engine walk of
 * the queues and buckets against the in-process emulators, standing in for AWS, plus the outputs IAM and EC2 would
 * give (the web-tier key's id, the launch template); EC2 itself, which the web tier's autoscaler asks, is WireMock.
 * The emulators accept only their own key pair, so that is the "web-tier key" here; what matters is where it goes.
 */
class LocalWebTargetLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STACK = "mixedweb";
    private static final String DEPLOYMENT = "d1";
    private static final String TEMPLATE = "lt-0123456789abcdef0";
    private static final WebTierCredentials KEY = new WebTierCredentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY);
    private static final Path REPO = repo();

    @TempDir
    Path state;
    private LocalAws emulators;
    private WireMockServer ec2;
    private AwsClients clients;
    private Walker walker;
    private Graph graph;
    private int port;

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void start() throws Exception {
        emulators = LocalAws.startInMemory();
        ec2 = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        ec2.start();
        ec2.stubFor(post(anyUrl()).withFormParam("Action", equalTo("DescribeInstances")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody("<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                        + "<requestId>req-1</requestId><reservationSet/></DescribeInstancesResponse>")));
        clients = new AwsClients(AwsTarget.local(emulators.sqsEndpoint(), emulators.s3Endpoint()));
        walker = new Walker(4, ProgressListener.NONE);
        graph = Graph.of(AwsStack.resources(clients, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS, null));
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws Exception {
        try {
            // Whatever failed, leave no web tier behind.
            mode().stop();
        } finally {
            walker.close();
            clients.close();
            ec2.stop();
            emulators.close();
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HYBRID_HOME", REPO.toString());
        env.put("HYBRID_STATE_DIR", state.toString());
        env.put("AWS_REGION", LocalAws.REGION);
        env.put("AWS_ENDPOINT_URL_SQS", emulators.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", emulators.s3Endpoint().toString());
        env.put("HYBRID_S3_PATH_STYLE", "true");
        env.put("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:" + ec2.port());
        return env;
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** The web tier here with a real AWS side ({@code --os-cloud local}), printing to {@link #out} and {@link #err}. */
    private LocalWebTarget target(boolean json) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Console console = new Console(new PrintWriter(out, true), new PrintWriter(err, true), json, false, env(), Terminal.system(), STACK);
        return new LocalWebTarget(console, new TargetSpec("local", null, null, null, null, null, null));
    }

    private LocalWebTarget mode() {
        return target(false);
    }

    /** up's walk, over the emulators, with what IAM and EC2 would add to its outputs. */
    private final class Steps implements StackUp {
        private final Optional<WebTierCredentials> created;

        Steps(Optional<WebTierCredentials> created) {
            this.created = created;
        }

        @Override
        public WalkReport walk() {
            WalkReport report = walker.up(graph, new StackContext(STACK, DEPLOYMENT));
            Map<String, Map<String, String>> outputs = new HashMap<>(report.outputs());
            outputs.put(WebTierUser.KEY, Map.of(WebTierUser.ACCESS_KEY_ID.name(), KEY.accessKeyId()));
            outputs.put(AppLaunchTemplate.KEY, Map.of(AppLaunchTemplate.ID.name(), TEMPLATE));
            return new WalkReport(report.operation(), report.stack(), report.deploymentId(), report.nodes(), outputs, report.leftovers(),
                    report.elapsed());
        }

        @Override
        public Optional<WebTierCredentials> createdKey() {
            return created;
        }

        @Override
        public WebHealthWait.Result waitHealthy(URI web) {
            return WebHealthWait.await(web, Duration.ofSeconds(120), Duration.ofSeconds(5), ProgressBars.NONE);
        }

        /** No canary: this web tier's workers would be on EC2, which this test does not have. */
        @Override
        public Target.Up request() {
            return new Target.Up(LocalSettings.defaults(), true, Duration.ofSeconds(120), false, false, Duration.ZERO);
        }
    }

    private Run up(Optional<WebTierCredentials> created) throws Exception {
        LocalSettings options = LocalSettings.defaults().withPort(port).withWorkersMax(2);
        int code = target(true).up(options, new Steps(created));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void upStartsTheWebTierOnceWithItsKeyOutOfSightAndTeardownLeavesNothing() throws Exception {
        Run first = up(Optional.of(KEY));
        assertEquals(0, first.exitCode(), first.out() + first.err());
        JsonNode started = first.json().get("localWeb");
        assertTrue(started.get("changed").asBoolean(), first.out());
        long pid = started.get("pid").asLong();
        assertEquals("http://127.0.0.1:" + port, started.get("url").asText());
        assertEquals(TEMPLATE, started.get("launchTemplateId").asText());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(started.get("url").asText() + "/healthz"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("ok", JSON.readTree(health.body()).get("status").asText(), health.body());

        secretOnlyInItsFile(pid);
        autoscalerAsksEc2ForTheStacksWorkersAsTheWebTier();

        Run second = up(Optional.empty());
        assertEquals(0, second.exitCode(), second.out() + second.err());
        assertFalse(second.json().get("localWeb").get("changed").asBoolean(), "a second up changes nothing: " + second.out());
        assertEquals(pid, second.json().get("localWeb").get("pid").asLong());
        assertTrue(second.json().get("resources").findValues("action").stream().noneMatch(a -> !a.asText().equals("keep")),
                "the walk changed nothing either: " + second.out());

        ObjectNode status = JsonReports.object();
        mode().statusInto(status);
        assertTrue(status.get("localWeb").get("running").asBoolean(), status.toString());
        assertEquals("healthy", status.get("localWeb").get("health").asText(), status.toString());

        // A web tier that died is started again, with the key stored by the first up: IAM would not show it again.
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid).ifPresent(process -> process.onExit().join());
        Run restarted = up(Optional.empty());
        assertEquals(0, restarted.exitCode(), restarted.out() + restarted.err());
        long newPid = restarted.json().get("localWeb").get("pid").asLong();
        assertNotEquals(pid, newPid);
        assertTrue(restarted.json().get("localWeb").get("changed").asBoolean());
        assertTrue(ProcessHandle.of(newPid).map(ProcessHandle::isAlive).orElse(false));

        LocalWebTier.Stopped stopped = mode().stop();
        assertEquals(List.of(newPid), stopped.stopped());
        assertFalse(ProcessHandle.of(newPid).map(ProcessHandle::isAlive).orElse(false), "pid " + newPid + " still runs");
        assertFalse(Files.exists(state.resolve("local-web/" + STACK)), "record, key and logs gone");
        WalkReport teardown = walker.teardown(graph, new StackContext(STACK, DEPLOYMENT));
        assertTrue(teardown.succeeded(), teardown.toString());
        assertEquals(List.of(), clients.sqs().listQueues(b -> b.queueNamePrefix("hybrid-" + STACK)).queueUrls(), "no queue left");
        assertTrue(clients.s3().listBuckets().buckets().stream().noneMatch(bucket -> bucket.name().contains(STACK)), "no bucket left");
    }

    /** Not on the command line, not in the environment, the log or the record: only in the 0600 credentials file. */
    private void secretOnlyInItsFile(long pid) throws Exception {
        String secret = KEY.secretAccessKey();
        String commandLine = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        assertTrue(commandLine.contains("hybrid-web-tier.jar"), commandLine);
        assertFalse(commandLine.contains(secret), commandLine);
        String environment = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
        assertFalse(environment.contains(secret), "the environment names the file, it does not hold the key");
        assertFalse(environment.contains("AWS_SECRET_ACCESS_KEY="), "the operator's key is not inherited");
        Path dir = state.resolve("local-web/" + STACK);
        Path credentials = dir.resolve("web-tier.credentials");
        assertTrue(environment.contains("AWS_SHARED_CREDENTIALS_FILE=" + credentials), environment);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));
        assertTrue(Files.readString(credentials).contains(secret));
        assertFalse(Files.readString(dir.resolve("web.json")).contains(secret));
        assertFalse(Files.readString(dir.resolve("logs/web.log")).contains(secret));
        assertFalse(out.toString().contains(secret) || err.toString().contains(secret));
    }

    /** The EC2 provider with the stack's tag, signed with the web tier's key; no instances, so nothing is launched. */
    private void autoscalerAsksEc2ForTheStacksWorkersAsTheWebTier() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<LoggedRequest> asked = List.of();
        while (asked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            asked = ec2.findAll(postRequestedFor(anyUrl()).withFormParam("Action", equalTo("DescribeInstances")));
        }
        assertFalse(asked.isEmpty(), "the autoscaler never asked EC2 for its workers");
        LoggedRequest request = asked.get(0);
        assertTrue(request.getBodyAsString().contains(STACK), request.getBodyAsString());
        assertTrue(request.getHeader("Authorization").contains("Credential=" + KEY.accessKeyId() + "/"), request.getHeader("Authorization"));
        assertTrue(ec2.findAll(postRequestedFor(anyUrl()).withFormParam("Action", equalTo("RunInstances"))).isEmpty());
    }

    private static Path repo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("web-tier")) && Files.isDirectory(dir.resolve("orchestrator-cli"))) {
                return dir;
            }
        }
        throw new IllegalStateException("run from within the checkout");
    }
}
