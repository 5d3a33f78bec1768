package dev.hybrid.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.localaws.LocalAws;
import dev.hybrid.worker.model.Classifiers;
import dev.hybrid.worker.model.ImageClassifier;
import dev.hybrid.worker.model.ModelSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service with real parts on one machine: the web-tier image built here
 * ({@code hybrid image build web-tier --local}), booted by devstack-lite's real Nova (libvirt, software emulation),
 * answering through its floating IP, and classifying through queues of emulators that the VM reaches on the external
 * bridge. The app tier runs as a local worker process on the same queues (there is no EC2 here).
 *
 * <p>Runs only against {@code DL_COMPUTE=qemu bash devstack/lite/up.sh}, as root (the image build needs it):
 * {@code DL_COMPUTE=qemu mvn -B -pl e2e -am verify -Dtest=DevstackRealVmTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfEnvironmentVariable(named = "DL_COMPUTE", matches = "qemu")
class DevstackRealVmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLOUD = "devstack-lite";
    /** The external bridge devstack-lite's qemu mode makes; the VM reaches this machine there. */
    private static final String BRIDGE_ADDRESS = System.getenv().getOrDefault("DL_EXT_ADDRESS", "172.24.4.1");
    private static final int IMAGES = 20;

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    @Test
    void theWebTierImageBootsOnRealComputeAndClassifiesThroughItsFloatingIp(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("OS_CLIENT_CONFIG_FILE", Pipeline.REPO.resolve("devstack/lite/clouds.yaml").toString());
        env.remove("OS_CLOUD");
        env.put("HYBRID_STATE_DIR", dir.resolve("state").toString());

        long started = System.nanoTime();
        Run build = hybrid(env, dir, "-o", "json", "image", "build", "web-tier", "--local");
        assertEquals(0, build.exitCode(), build::toString);
        Path vmdk = Path.of(build.json().path("vmdk").asText());
        assertTrue(Files.isRegularFile(vmdk), "the build named " + vmdk);
        figure("image build (" + (build.json().path("reused").asBoolean() ? "cached" : "cold") + ")", started);

        String stack = "vm" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 25, 1L << 30), 36);
        try (LocalAws aws = LocalAws.startInMemory(BRIDGE_ADDRESS)) {
            env.put("AWS_ENDPOINT_URL_SQS", aws.sqsEndpoint().toString());
            env.put("AWS_ENDPOINT_URL_S3", aws.s3Endpoint().toString());
            ChildJvm worker = null;
            try {
                started = System.nanoTime();
                // No worker runs yet (it needs the queues this up makes), so this first up waits for health only.
                Run up = hybrid(env, dir, "-o", "json", "up", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local",
                        "--web-image", vmdk.toString(), "--health-timeout", "2400", "--no-canary");
                assertEquals(0, up.exitCode(), up::toString);
                figure("up, upload to healthy through the floating IP", started);
                JsonNode document = up.json();
                assertEquals("healthy", document.path("health").path("outcome").asText(), up::toString);
                URI web = URI.create(document.path("webUrl").asText());
                String floatingIp = web.getHost();
                assertTrue(floatingIp.startsWith("172.24.4."), "the web tier answers on a floating IP: " + web);
                awaitHealthy(web, Duration.ofMinutes(1));

                // The app tier: a local worker on the stack's own queues, as EC2 workers would be.
                Map<String, String> workerEnv = new HashMap<>();
                document.path("settings").fields().forEachRemaining(e -> workerEnv.put(e.getKey(), e.getValue().asText()));
                workerEnv.put("AWS_ENDPOINT_URL_SQS", aws.sqsEndpoint().toString());
                workerEnv.put("AWS_ENDPOINT_URL_S3", aws.s3Endpoint().toString());
                workerEnv.put("HYBRID_S3_PATH_STYLE", "true");
                workerEnv.put("AWS_REGION", LocalAws.REGION);
                workerEnv.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
                workerEnv.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
                workerEnv.put("HYBRID_MODEL_PROFILE", "cse546");
                worker = ChildJvm.start("worker", Pipeline.WORKER_JAR, List.of("--worker-id", "local-1"), workerEnv, dir,
                        Pipeline.WORKER_READY);
                worker.awaitReady(Duration.ofSeconds(300));

                // A second up changes nothing and ends with the canary through the floating IP.
                started = System.nanoTime();
                Run canaryUp = hybrid(env, dir, "-o", "json", "up", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local",
                        "--web-image", vmdk.toString(), "--health-timeout", "600");
                assertEquals(0, canaryUp.exitCode(), canaryUp::toString);
                JsonNode canary = canaryUp.json().path("canary");
                assertTrue(canary.path("ok").asBoolean(), canaryUp::toString);
                assertEquals("local-1", canary.path("worker").asText(), canaryUp::toString);
                assertEquals(web.toString(), canary.path("url").asText());
                System.out.printf("figure: canary latency through the floating IP: %d ms (model %s)%n", canary.path("millis").asLong(),
                        canary.path("model").asText());
                figure("second up, with the canary", started);
                Run status = hybrid(env, dir, "-o", "json", "status", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local");
                assertEquals(canary, status.json().path("canary"), status::toString);

                List<byte[]> images = new ArrayList<>();
                for (int i = 0; i < IMAGES; i++) {
                    images.add(GeneratedImages.image(1000 + i, 64, 64, "jpg"));
                }
                List<String> expected;
                try (ImageClassifier classifier = Classifiers.load(ModelSettings.of(null, null, "cse546"))) {
                    expected = classifier.classify(images).stream()
                            .map(outcome -> ((ImageClassifier.Outcome.Labels) outcome).top5().get(0).label()).toList();
                }
                Uploads uploads = new Uploads(web);
                started = System.nanoTime();
                for (int i = 0; i < IMAGES; i++) {
                    HttpResponse<String> reply = uploads.send("myfile", "vm_" + i + ".JPEG", images.get(i), Duration.ofSeconds(600)).join();
                    assertEquals(200, reply.statusCode(), "image " + i + ": " + reply.body());
                    assertEquals(expected.get(i), reply.body(), "image " + i + " through " + web);
                }
                figure(IMAGES + " classifications one after another through the floating IP", started);

                // What OpenStack itself says: the server is ACTIVE and the floating IP is on its port.
                String server = openstack(env, "server", "show", "hybrid-" + stack + "-web", "-f", "json");
                JsonNode shown = JSON.readTree(server);
                assertEquals("ACTIVE", shown.path("status").asText(), server);
                assertTrue(shown.path("addresses").toString().contains(floatingIp), server);
                // Where the boot's time went, from the serial console: cloud-init stamps its stages with the uptime.
                String console = openstack(env, "console", "log", "show", "hybrid-" + stack + "-web");
                console.lines().filter(line -> line.contains("Cloud-init v.") || line.contains("hybrid-web ready"))
                        .forEach(line -> System.out.println("figure: console: " + line.strip()));
            } finally {
                if (worker != null) {
                    worker.close();
                }
                Run down = hybrid(env, dir, "-o", "json", "teardown", "--yes", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local");
                assertEquals(0, down.exitCode(), down::toString);
            }
            String servers = openstack(env, "server", "list", "--name", "hybrid-" + stack + "-", "-f", "value", "-c", "ID");
            assertEquals("", servers.strip(), "servers left: " + servers);
            String fips = openstack(env, "floating", "ip", "list", "--tags", "hybrid:stack=" + stack, "-f", "value", "-c", "ID");
            assertEquals("", fips.strip(), "floating IPs left: " + fips);
            String images = openstack(env, "image", "list", "--tag", "hybrid:stack=" + stack, "-f", "value", "-c", "ID");
            assertEquals("", images.strip(), "images left: " + images);
            var sqs = software.amazon.awssdk.services.sqs.SqsClient.builder().endpointOverride(aws.sqsEndpoint())
                    .region(software.amazon.awssdk.regions.Region.of(LocalAws.REGION))
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
            assertEquals(List.of(), sqs.listQueues().queueUrls(), "queues left after teardown");
            var s3 = software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(aws.s3Endpoint())
                    .region(software.amazon.awssdk.regions.Region.of(LocalAws.REGION)).forcePathStyle(true)
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
            assertEquals(List.of(), s3.listBuckets().buckets(), "buckets left after teardown");
        }
    }

    private static void awaitHealthy(URI web, Duration timeout) throws InterruptedException {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> health = client.send(java.net.http.HttpRequest.newBuilder(web.resolve("/healthz"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
                last = health.statusCode() + " " + health.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(3000);
        }
        throw new AssertionError(web + "healthz did not answer 200 within " + timeout + ": " + last);
    }

    private static void figure(String what, long startedNanos) {
        System.out.printf("figure: %s: %.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }

    /** The checkout's own launcher, as a user runs it. */
    private static Run hybrid(Map<String, String> env, Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Pipeline.REPO.resolve("hybrid").toString()));
        command.addAll(List.of(args));
        return exec(command, env, dir, 3600);
    }

    private static String openstack(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openstack", "--os-cloud", CLOUD));
        command.addAll(List.of(args));
        Run run = exec(command, env, Path.of(System.getProperty("java.io.tmpdir")), 120);
        assertEquals(0, run.exitCode(), run::toString);
        return run.out();
    }

    private static Run exec(List<String> command, Map<String, String> env, Path dir, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(Pipeline.REPO.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s; stderr: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
