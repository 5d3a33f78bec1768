package dev.hybrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.config.CloudConfigLoader;
import dev.hybrid.cli.config.CloudsFileLocator;
import dev.hybrid.cli.openstack.OpenStackApi;
import dev.hybrid.cli.openstack.ServiceType;
import dev.hybrid.cli.openstack.auth.KeystoneSession;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.localaws.LocalAws;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hybrid up --os-cloud devstack-lite --aws local} against the real OpenStack control plane that
 * devstack/lite/up.sh starts on loopback, checked through the OpenStack APIs. The CI profile sets
 * HYBRID_DEVSTACK_LITE=1, and .ci/run fails when these tests did not run.
 */
@EnabledIfEnvironmentVariable(named = "HYBRID_DEVSTACK_LITE", matches = "1")
class DevstackLiteStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLOUD = "devstack-lite";
    private static LocalAws local;
    private static OpenStackApi api;

    @TempDir
    Path stateDir;

    private String stack;
    private Path vmdk;

    @BeforeAll
    static void start() {
        local = LocalAws.startInMemory();
        api = new OpenStackApi(KeystoneSession.forCloud(new CloudConfigLoader(cloudEnv(), CloudsFileLocator.forThisMachine(cloudEnv())).load(CLOUD)));
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @BeforeEach
    void newStack() throws IOException {
        stack = "it" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 35), 36);
        vmdk = sparseFile(stateDir.resolve("web.vmdk"), 16L << 20);
    }

    @AfterEach
    void teardownWhateverIsLeft() {
        run(env(), "teardown", "--yes", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local");
    }

    static Map<String, String> cloudEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("OS_CLIENT_CONFIG_FILE", Path.of("../devstack/lite/clouds.yaml").toAbsolutePath().normalize().toString());
        env.remove("OS_CLOUD");
        return env;
    }

    private Map<String, String> env() {
        Map<String, String> env = cloudEnv();
        env.put("AWS_ENDPOINT_URL_SQS", local.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", local.s3Endpoint().toString());
        env.put("HYBRID_STATE_DIR", stateDir.resolve("state").toString());
        return env;
    }

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HybridMain.commandLine(new HybridMain(env), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run up(String... extra) {
        List<String> args = new ArrayList<>(List.of("-o", "json", "up", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local",
                "--web-image", vmdk.toString(), "--no-wait-healthy"));
        args.addAll(List.of(extra));
        return run(env(), args.toArray(String[]::new));
    }

    /** A VMDK header and descriptor that Glance's upload checks take, then zeros: no hypervisor boots it. */
    private static Path sparseFile(Path file, long size) throws IOException {
        return dev.hybrid.cli.config.TestVmdk.sparse(file, size);
    }

    /** Everything in the cloud that carries this stack's tag or name, by kind. */
    private Map<String, List<String>> inCloud() {
        String tag = "hybrid:stack%3D" + stack;
        String prefix = "hybrid-" + stack + "-";
        Map<String, List<String>> found = new HashMap<>();
        found.put("images", ids(api.get(ServiceType.IMAGE, "/images?tag=" + tag).path("images"), "id"));
        found.put("servers", ids(api.get(ServiceType.COMPUTE, "/servers/detail?tags=" + tag).path("servers"), "id"));
        found.put("security_groups", ids(api.get(ServiceType.NETWORK, "/security-groups?tags=" + tag).path("security_groups"), "id"));
        found.put("floating_ips", ids(api.get(ServiceType.NETWORK, "/floatingips?tags=" + tag).path("floatingips"), "id"));
        List<String> keypairs = new ArrayList<>();
        for (JsonNode entry : api.get(ServiceType.COMPUTE, "/os-keypairs").path("keypairs")) {
            String name = entry.path("keypair").path("name").asText();
            if (name.startsWith(prefix)) {
                keypairs.add(name);
            }
        }
        found.put("keypairs", keypairs);
        List<String> ports = new ArrayList<>();
        for (String server : found.get("servers")) {
            ports.addAll(ids(api.get(ServiceType.NETWORK, "/ports?device_id=" + server).path("ports"), "id"));
        }
        found.put("ports", ports);
        // Untagged leftovers of an interrupted up are found by their names and descriptions.
        for (JsonNode group : api.get(ServiceType.NETWORK, "/security-groups?name=" + prefix + "web").path("security_groups")) {
            if (!found.get("security_groups").contains(group.path("id").asText())) {
                found.merge("security_groups", List.of(group.path("id").asText()), DevstackLiteStackTest::concat);
            }
        }
        for (JsonNode fip : api.get(ServiceType.NETWORK, "/floatingips").path("floatingips")) {
            if (fip.path("description").asText().contains("hybrid:stack=" + stack + " ")
                    && !found.get("floating_ips").contains(fip.path("id").asText())) {
                found.merge("floating_ips", List.of(fip.path("id").asText()), DevstackLiteStackTest::concat);
            }
        }
        return found;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path(field).asText()));
        return ids;
    }

    private void assertNothingLeft() {
        Map<String, List<String>> left = inCloud();
        left.values().removeIf(List::isEmpty);
        assertEquals(Map.of(), left, "teardown left these behind");
    }

    private void teardownLeavesNothing(String... extra) {
        List<String> args = new ArrayList<>(List.of("teardown", "--yes", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local"));
        args.addAll(List.of(extra));
        Run teardown = run(env(), args.toArray(String[]::new));
        assertEquals(0, teardown.exitCode(), teardown.err() + teardown.out());
        assertNothingLeft();
    }

    private void assertOneOfEach() {
        Map<String, List<String>> found = inCloud();
        for (String kind : List.of("images", "servers", "security_groups", "floating_ips", "keypairs")) {
            assertEquals(1, found.get(kind).size(), kind + " of stack " + stack + ": " + found);
        }
    }

    @Test
    void upCreatesEveryOpenStackResourceThenChangesNothingThenTeardownRemovesAll() throws Exception {
        Run first = up();
        assertEquals(0, first.exitCode(), first.err() + first.out());
        JsonNode outputs = first.json().path("outputs");

        JsonNode server = api.get(ServiceType.COMPUTE, "/servers/" + outputs.path("os:server").path("id").asText()).path("server");
        assertEquals("ACTIVE", server.path("status").asText());
        assertEquals("hybrid-" + stack + "-" + first.json().path("deploymentId").asText(), server.path("key_name").asText());
        assertEquals(stack, server.path("metadata").path("hybrid:stack").asText());
        String fip = outputs.path("os:floating-ip").path("address").asText();
        boolean floatingShown = false;
        for (JsonNode network : server.path("addresses")) {
            for (JsonNode address : network) {
                floatingShown |= fip.equals(address.path("addr").asText()) && "floating".equals(address.path("OS-EXT-IPS:type").asText());
            }
        }
        assertTrue(floatingShown, "Nova does not show " + fip + " as floating: " + server.path("addresses"));
        assertEquals("http://" + fip + ":8080/", first.json().path("webUrl").asText());
        assertEquals("skipped", first.json().path("health").path("outcome").asText());

        JsonNode image = api.get(ServiceType.IMAGE, "/images/" + outputs.path("os:image").path("id").asText());
        assertEquals("active", image.path("status").asText());
        assertEquals("vmdk", image.path("disk_format").asText());
        assertEquals("bare", image.path("container_format").asText());
        assertEquals(Files.size(vmdk), image.path("size").asLong());

        JsonNode group = api.get(ServiceType.NETWORK, "/security-groups/" + outputs.path("os:security-group").path("id").asText())
                .path("security_group");
        List<String> rules = new ArrayList<>();
        for (JsonNode rule : group.path("security_group_rules")) {
            if ("ingress".equals(rule.path("direction").asText())) {
                rules.add(rule.path("protocol").asText() + ":" + rule.path("port_range_min").asText("") + ":" + rule.path("remote_ip_prefix").asText());
            }
        }
        assertTrue(rules.containsAll(List.of("tcp:22:127.0.0.1/32", "tcp:8080:0.0.0.0/0", "icmp::0.0.0.0/0")), rules.toString());
        assertOneOfEach();

        Run second = up();
        assertEquals(0, second.exitCode(), second.err() + second.out());
        int kept = 0;
        for (JsonNode resource : second.json().path("resources")) {
            for (JsonNode change : resource.path("changes")) {
                assertEquals("keep", change.path("action").asText(), "a second up changed " + resource.path("key") + ": " + change);
                kept++;
            }
        }
        assertEquals(11, kept, second.out());
        assertOneOfEach();

        // The floating IP is not routed here (no data plane): status reports without sending traffic to it.
        Run status = run(env(), "-o", "json", "status", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local",
                "--web-image", vmdk.toString(), "--no-health");
        assertEquals(0, status.exitCode(), status.err() + status.out());
        assertTrue(status.json().path("deployed").asBoolean(), status.out());
        assertEquals("http://" + fip + ":8080/", status.json().path("webUrl").asText());
        assertEquals("not checked (--no-health)", status.json().path("health").asText());
        assertEquals(0, status.json().path("requestQueue").path("visible").asInt(), status.out());
        List<String> shown = new ArrayList<>();
        for (JsonNode resource : status.json().path("resources")) {
            shown.add(resource.path("key").asText());
        }
        assertTrue(shown.containsAll(List.of("os:server", "os:floating-ip", "os:image", "os:security-group")), shown.toString());
        assertEquals(fip, status.json().path("outputs").path("os:floating-ip").path("address").asText(), status.out());

        teardownLeavesNothing();
    }

    @Test
    void teardownWithoutTheStateFileOrTheImageFileStillRemovesEverything() throws Exception {
        Run first = up();
        assertEquals(0, first.exitCode(), first.err() + first.out());
        assertOneOfEach();
        try (var files = Files.walk(stateDir.resolve("state"))) {
            List<Path> all = files.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path file : all) {
                Files.delete(file);
            }
        }
        Files.delete(vmdk);
        Run plan = run(env(), "plan", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local", "--web-image", vmdk.toString());
        assertEquals(ExitCodes.USAGE, plan.exitCode(), plan.err());
        assertTrue(plan.err().contains("web_image file " + vmdk + " does not exist"), plan.err());
        teardownLeavesNothing("--web-image", vmdk.toString());
    }

    /** kill -9 while a step is under way, at several steps; each time a second up must converge to one of everything. */
    @Test
    void upKilledAtSeveralPointsConvergesOnTheNextUp() throws Exception {
        vmdk = sparseFile(stateDir.resolve("big.vmdk"), 512L << 20);
        Map<String, BooleanSupplier> killPoints = new java.util.LinkedHashMap<>();
        killPoints.put("while the image uploads", () -> !inCloud().get("images").isEmpty());
        killPoints.put("while the server boots", () -> !inCloud().get("servers").isEmpty());
        killPoints.put("once the floating IP exists", () -> !inCloud().get("floating_ips").isEmpty());
        for (Map.Entry<String, BooleanSupplier> point : killPoints.entrySet()) {
            Process child = childUp(List.of());
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                while (!point.getValue().getAsBoolean()) {
                    assertTrue(child.isAlive() || point.getKey().startsWith("once"), "up ended before " + point.getKey());
                    assertTrue(System.nanoTime() < deadline, "never reached: " + point.getKey());
                    Thread.sleep(100);
                }
            } finally {
                child.destroyForcibly().waitFor();
            }
            Run again = up();
            assertEquals(0, again.exitCode(), "up after a kill " + point.getKey() + ": " + again.err() + again.out());
            assertOneOfEach();
        }
        teardownLeavesNothing();
    }

    /** A 1 GiB VMDK goes up through a JVM with a 256 MiB heap: the upload streams. */
    @Test
    void aOneGibibyteImageUploadsWithAQuarterGibibyteHeap() throws Exception {
        vmdk = sparseFile(stateDir.resolve("large.vmdk"), 1L << 30);
        Process child = childUp(List.of("-Xmx256m"));
        String output = new String(child.getInputStream().readAllBytes());
        assertEquals(0, child.waitFor(), output);
        assertTrue(!output.contains("OutOfMemoryError"), output);
        JsonNode image = api.get(ServiceType.IMAGE, "/images?tag=hybrid:stack%3D" + stack).path("images").get(0);
        assertEquals(1L << 30, image.path("size").asLong());
        assertEquals("active", image.path("status").asText());
    }

    /** {@code hybrid up} in a JVM of its own, so that it can be killed; its output goes to one stream. */
    private Process childUp(List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HybridMain.class.getName(),
                "up", "--stack", stack, "--os-cloud", CLOUD, "--aws", "local", "--web-image", vmdk.toString(), "--no-wait-healthy"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env());
        return builder.start();
    }
}
