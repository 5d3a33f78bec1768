package dev.hybrid.cli.openstack;

import dev.hybrid.cli.aws.WebTierUser;
import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.config.StackConfig;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.cli.engine.VirtualClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.hybrid.cli.config.AuthType;
import dev.hybrid.cli.config.CloudAuth;
import dev.hybrid.cli.config.CloudConfig;
import dev.hybrid.cli.config.WebImageSource;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.TestOutputs;
import dev.hybrid.cli.openstack.auth.KeystoneSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The error paths a healthy cloud does not produce, against WireMock playing Keystone, Nova, Neutron and Glance. */
class OpenStackContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackContext context = new StackContext("web1", "d1234567");

    private WireMockServer cloud;
    private OpenStackApi api;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        cloud = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        cloud.start();
        stubToken("tok-1");
        String authUrl = "http://127.0.0.1:" + cloud.port() + "/identity/v3";
        CloudAuth auth = new CloudAuth(authUrl, "alice", null, "pw-secret", "demo", null, "Default", null, null, null, null, null, null, null);
        CloudConfig config = new CloudConfig("contract", Path.of("clouds.yaml"), "clouds.yaml:2:3", AuthType.PASSWORD, auth, "RegionOne",
                "public", "3", true, null);
        api = new OpenStackApi(KeystoneSession.forCloud(config), 3, Duration.ofMillis(10));
    }

    @AfterEach
    void stop() {
        cloud.stop();
    }

    private void stubToken(String token) {
        String base = "http://127.0.0.1:" + cloud.port();
        cloud.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", token)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"token": {"expires_at": "%s",
                          "user": {"id": "u-1"}, "project": {"id": "p-1"},
                          "catalog": [
                            {"type": "compute", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "%s/compute/v2.1"}]},
                            {"type": "image", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "%s/image"}]},
                            {"type": "network", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "%s/network"}]}]}}
                        """.formatted(Instant.now().plus(Duration.ofHours(1)), base, base, base))));
    }

    @Test
    void aRuleThatAlreadyExistsCountsAsSuccess() {
        cloud.stubFor(post("/network/v2.0/security-groups").willReturn(okJson("""
                {"security_group": {"id": "sg-1", "name": "hybrid-web1-web", "security_group_rules": []}}""")));
        cloud.stubFor(put("/network/v2.0/security-groups/sg-1/tags").willReturn(okJson("{\"tags\": []}")));
        cloud.stubFor(post("/network/v2.0/security-group-rules").willReturn(okJson("{\"security_group_rule\": {}}")));
        cloud.stubFor(post("/network/v2.0/security-group-rules")
                .withRequestBody(matchingJsonPath("$.security_group_rule.port_range_min", equalTo("22")))
                .willReturn(aResponse().withStatus(409).withBody("""
                        {"NeutronError": {"type": "SecurityGroupRuleExists", "message": "Security group rule already exists. Rule id is r-1.", "detail": ""}}""")));
        cloud.stubFor(get("/network/v2.0/security-groups/sg-1").willReturn(okJson("""
                {"security_group": {"id": "sg-1", "name": "hybrid-web1-web", "tags": ["hybrid:stack=web1", "hybrid:deployment=d1234567", "hybrid:role=web-security-group"],
                 "security_group_rules": [
                   {"direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "port_range_min": 22, "remote_ip_prefix": "198.51.100.7/32"},
                   {"direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "port_range_min": 8080, "remote_ip_prefix": "0.0.0.0/0"},
                   {"direction": "ingress", "ethertype": "IPv4", "protocol": "icmp", "port_range_min": null, "remote_ip_prefix": "0.0.0.0/0"}]}}""")));

        Observed group = new SecurityGroup(api, 8080, "198.51.100.7/32").create(context);

        assertEquals("sg-1", group.physicalId());
        assertEquals("d1234567", group.deploymentId());
        cloud.verify(3, postRequestedFor(urlEqualTo("/network/v2.0/security-group-rules")));
        cloud.verify(postRequestedFor(urlEqualTo("/network/v2.0/security-groups"))
                .withRequestBody(matchingJsonPath("$.security_group.description", equalTo("hybrid:deployment=d1234567 hybrid:role=web-security-group hybrid:stack=web1"))));
        assertEquals(dev.hybrid.cli.engine.Action.KEEP, new SecurityGroup(api, 8080, "198.51.100.7/32").compare(group, context).action());
    }

    @Test
    void aGroupStillInUseIsDeletedOnceNeutronLetsGo() {
        cloud.stubFor(delete("/network/v2.0/security-groups/sg-1").inScenario("in use").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(409).withBody("""
                        {"NeutronError": {"type": "SecurityGroupInUse", "message": "Security Group sg-1 in use.", "detail": ""}}"""))
                .willSetStateTo("freed"));
        cloud.stubFor(delete("/network/v2.0/security-groups/sg-1").inScenario("in use").whenScenarioStateIs("freed")
                .willReturn(aResponse().withStatus(204)));

        new SecurityGroup(api, 8080, "198.51.100.7/32", Duration.ofSeconds(30))
                .delete(new Observed("sg-1", "d1234567", Map.of(), Map.of()), context);

        cloud.verify(2, deleteRequestedFor(urlEqualTo("/network/v2.0/security-groups/sg-1")));
    }

    @Test
    void overQuotaIsOneSentenceThatSaysSo() {
        stubServerPrerequisites();
        cloud.stubFor(post("/compute/v2.1/servers").willReturn(aResponse().withStatus(413).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"overLimit": {"code": 413, "message": "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}""")));

        OpenStackException e = assertThrows(OpenStackException.class, () -> server(Duration.ofSeconds(5)).create(context));

        assertEquals(413, e.status());
        assertTrue(e.getMessage().contains("Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"), e.getMessage());
        assertTrue(e.getMessage().contains("over quota"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aBusyServiceIsAskedAgainAfterItsRetryAfter() {
        cloud.stubFor(get(urlPathEqualTo("/network/v2.0/security-groups")).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0").withBody("busy")).willSetStateTo("ready"));
        cloud.stubFor(get(urlPathEqualTo("/network/v2.0/security-groups")).inScenario("busy").whenScenarioStateIs("ready")
                .willReturn(okJson("""
                        {"security_groups": [{"id": "sg-9", "name": "hybrid-web1-web", "description": "",
                          "tags": ["hybrid:stack=web1", "hybrid:deployment=d1234567", "hybrid:role=web-security-group"], "security_group_rules": []}]}""")));

        var found = new SecurityGroup(api, 8080, "198.51.100.7/32").discover(context);

        assertEquals("sg-9", found.get(0).physicalId());
        cloud.verify(3, getRequestedFor(urlPathEqualTo("/network/v2.0/security-groups")));
    }

    @Test
    void aServiceThatStaysBusyFailsWithTheReasonAfterTheLastAttempt() {
        cloud.stubFor(get(urlPathEqualTo("/compute/v2.1/os-keypairs")).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")));

        OpenStackException e = assertThrows(OpenStackException.class, () -> new Keypair(api, () -> "unused").discover(context));

        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("stayed busy through every retry"), e.getMessage());
        cloud.verify(3, getRequestedFor(urlPathEqualTo("/compute/v2.1/os-keypairs")));
    }

    @Test
    void aServerThatGoesToErrorReportsNovasFault() {
        stubServerPrerequisites();
        cloud.stubFor(post("/compute/v2.1/servers").willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
                .withBody("{\"server\": {\"id\": \"srv-1\"}}")));
        cloud.stubFor(get("/compute/v2.1/servers/srv-1").inScenario("boot").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"server\": {\"id\": \"srv-1\", \"status\": \"BUILD\"}}")).willSetStateTo("failed"));
        cloud.stubFor(get("/compute/v2.1/servers/srv-1").inScenario("boot").whenScenarioStateIs("failed")
                .willReturn(okJson("""
                        {"server": {"id": "srv-1", "status": "ERROR", "fault": {"code": 500, "message": "No valid host was found. There are not enough hosts available."}}}""")));

        Waiter.WaitFailed e = assertThrows(Waiter.WaitFailed.class, () -> server(Duration.ofSeconds(30)).create(context));

        assertTrue(e.getMessage().contains("went to ERROR: No valid host was found."), e.getMessage());
        assertEquals("ERROR", e.lastState());
        cloud.verify(postRequestedFor(urlEqualTo("/compute/v2.1/servers"))
                .withHeader("OpenStack-API-Version", equalTo("compute " + OpenStackApi.COMPUTE_MICROVERSION))
                .withRequestBody(matchingJsonPath("$.server.tags[?(@ == 'hybrid:stack=web1')]"))
                .withRequestBody(matchingJsonPath("$.server.metadata['hybrid:deployment']", equalTo("d1234567"))));
    }

    @Test
    void userDataIsSentBase64EncodedAndCarriesTheSettings() throws IOException {
        stubServerPrerequisites();
        cloud.stubFor(post("/compute/v2.1/servers").willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
                .withBody("{\"server\": {\"id\": \"srv-2\"}}")));
        cloud.stubFor(get("/compute/v2.1/servers/srv-2").willReturn(okJson("""
                {"server": {"id": "srv-2", "status": "ACTIVE", "flavor": {"original_name": "m1.small"}, "image": {"id": "img-1"},
                 "tags": ["hybrid:stack=web1", "hybrid:deployment=d1234567", "hybrid:role=web-server"],
                 "addresses": {"private": [{"addr": "10.0.0.5", "version": 4, "OS-EXT-IPS:type": "fixed"}]}}}""")));

        Observed server = server(Duration.ofSeconds(5)).create(context);

        assertEquals("10.0.0.5", server.outputs().get(NovaServer.FIXED_IP.name()));
        String body = cloud.findAll(postRequestedFor(urlEqualTo("/compute/v2.1/servers"))).get(0).getBodyAsString();
        String userData = new String(Base64.getDecoder().decode(JSON.readTree(body).path("server").path("user_data").asText()));
        assertTrue(userData.startsWith("#cloud-config\n"), userData);
        assertTrue(userData.contains("HYBRID_REQUEST_QUEUE_URL=https://sqs.example/requests\n"), userData);
        assertTrue(userData.contains("AWS_SECRET_ACCESS_KEY=web-secret\n"), userData);
        assertTrue(userData.contains("HYBRID_STACK=web1\n      HYBRID_LAUNCH_TEMPLATE_ID=lt-0123456789abcdef0\n"), userData);
        assertTrue(userData.contains("permissions: '0600'"), userData);
        assertFalse(java.util.regex.Pattern.compile("@[A-Z_]+@").matcher(userData).find(), "a placeholder was left: " + userData);
        assertFalse(userData.contains("AWS_ENDPOINT_URL"), "real AWS needs no endpoint override: " + userData);
        assertFalse(body.contains("web-secret"), "the secret must only travel Base64-encoded inside user-data");
        String fingerprint = JSON.readTree(body).path("server").path("metadata").path("hybrid:settings").asText();
        assertTrue(fingerprint.matches("[0-9a-f]{16}"), body);
    }

    @Test
    void aServerBootedWithOtherSettingsOrAnOlderKeyIsReplacedAndOneWithTheSameIsKept() throws IOException {
        stubServerPrerequisites();
        NovaServer server = server(Duration.ofSeconds(5));
        String booted = WebUserData.fingerprint(new WebUserData.Settings("https://sqs.example/requests", "https://sqs.example/responses",
                "in-bucket", "out-bucket", "us-east-1", 8080, null, null, "web1", "lt-0123456789abcdef0"), "AKIAWEB");
        java.util.function.Function<String, Observed> observed = settings -> NovaServer.observe(JSON.valueToTree(Map.of("id", "srv-1",
                "status", "ACTIVE", "flavor", Map.of("original_name", "m1.small"), "image", Map.of("id", "img-1"),
                "metadata", settings == null ? Map.of() : Map.of("hybrid:settings", settings))));

        assertEquals(dev.hybrid.cli.engine.Action.KEEP, server.compare(observed.apply(booted), context).action());

        TestOutputs.with(context, Map.of("iam:web-tier", Map.of("accessKeyId", "AKIAROTATED")));
        var rotated = server.compare(observed.apply(booted), context);
        assertEquals(dev.hybrid.cli.engine.Action.REPLACE, rotated.action(), "cloud-init reads the new key only at first boot");
        assertTrue(rotated.reason().contains("access key"), rotated.reason());
        assertEquals(dev.hybrid.cli.engine.Action.REPLACE, server.compare(observed.apply(null), context).action());
    }

    @Test
    void aFloatingIpThatStaysDownIsAssociatedAndItsStatusReported() {
        StackContext withServer = contextWithServer();
        cloud.stubFor(get("/network/v2.0/ports?device_id=srv-1").willReturn(okJson("{\"ports\": [{\"id\": \"port-1\"}]}")));
        cloud.stubFor(get("/network/v2.0/networks?name=public&router:external=true").willReturn(okJson("{\"networks\": [{\"id\": \"ext-1\", \"name\": \"public\"}]}")));
        cloud.stubFor(post("/network/v2.0/floatingips").willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"floatingip\": {\"id\": \"fip-1\", \"floating_ip_address\": \"172.24.4.9\", \"status\": \"DOWN\"}}")));
        cloud.stubFor(put("/network/v2.0/floatingips/fip-1/tags").willReturn(okJson("{\"tags\": []}")));
        cloud.stubFor(get("/network/v2.0/floatingips/fip-1").willReturn(okJson("""
                {"floatingip": {"id": "fip-1", "floating_ip_address": "172.24.4.9", "port_id": "port-1", "status": "DOWN"}}""")));
        cloud.stubFor(get("/compute/v2.1/servers/srv-1").inScenario("nova cache").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"server\": {\"id\": \"srv-1\", \"addresses\": {\"private\": [{\"addr\": \"10.0.0.5\", \"OS-EXT-IPS:type\": \"fixed\"}]}}}"))
                .willSetStateTo("refreshed"));
        cloud.stubFor(get("/compute/v2.1/servers/srv-1").inScenario("nova cache").whenScenarioStateIs("refreshed")
                .willReturn(okJson("""
                        {"server": {"id": "srv-1", "addresses": {"private": [{"addr": "10.0.0.5", "OS-EXT-IPS:type": "fixed"},
                          {"addr": "172.24.4.9", "OS-EXT-IPS:type": "floating"}]}}}""")));

        Observed fip = new FloatingIp(api, "public", Duration.ofSeconds(30), new Waiter(new VirtualClock(), ProgressBars.NONE)).create(withServer);

        assertEquals("172.24.4.9", fip.outputs().get(FloatingIp.IP.name()));
        assertEquals("DOWN", fip.outputs().get(FloatingIp.STATUS.name()));
        cloud.verify(postRequestedFor(urlEqualTo("/network/v2.0/floatingips"))
                .withRequestBody(matchingJsonPath("$.floatingip.port_id", equalTo("port-1")))
                .withRequestBody(matchingJsonPath("$.floatingip.floating_network_id", equalTo("ext-1"))));
        cloud.verify(2, getRequestedFor(urlEqualTo("/compute/v2.1/servers/srv-1")));
    }

    @Test
    void anExpiredTokenIsRenewedOnceAndTheCallSucceeds() {
        cloud.stubFor(get("/compute/v2.1/os-keypairs").withHeader("X-Auth-Token", equalTo("tok-1"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\": {\"message\": \"The request you have made requires authentication.\"}}")));
        cloud.stubFor(get("/compute/v2.1/os-keypairs").withHeader("X-Auth-Token", equalTo("tok-2"))
                .willReturn(okJson("{\"keypairs\": [{\"keypair\": {\"name\": \"hybrid-web1-d1234567\", \"fingerprint\": \"f\"}}]}")));
        Keypair keypair = new Keypair(api, () -> "unused");
        api.session().token();
        stubToken("tok-2");

        var found = keypair.discover(context);

        assertEquals("hybrid-web1-d1234567", found.get(0).physicalId());
        cloud.verify(2, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));
    }

    @Test
    void aFailedUploadDeletesTheQueuedImage() throws IOException {
        Path vmdk = Files.write(dir.resolve("web.vmdk"), new byte[4096]);
        cloud.stubFor(post("/image/v2/images").willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"img-1\", \"status\": \"queued\"}")));
        cloud.stubFor(put("/image/v2/images/img-1/file").willReturn(aResponse().withStatus(413)
                .withBody("<html><body><h1>413 Request Entity Too Large</h1>Image storage media is full</body></html>")));
        cloud.stubFor(delete("/image/v2/images/img-1").willReturn(aResponse().withStatus(204)));
        WebImage image = new WebImage(api, ImageSource.of(new WebImageSource.LocalFile(vmdk), () -> null, null), ProgressBars.NONE);

        OpenStackException e = assertThrows(OpenStackException.class, () -> image.create(context));

        assertTrue(e.getMessage().contains("Image storage media is full"), e.getMessage());
        cloud.verify(deleteRequestedFor(urlEqualTo("/image/v2/images/img-1")));
        cloud.verify(postRequestedFor(urlEqualTo("/image/v2/images"))
                .withRequestBody(matchingJsonPath("$.disk_format", equalTo("vmdk")))
                .withRequestBody(matchingJsonPath("$.container_format", equalTo("bare"))));
    }

    @Test
    void anUploadThatFailsGlancesFormatChecksSaysSoInOneLine() throws IOException {
        Path vmdk = Files.write(dir.resolve("web.vmdk"), new byte[4096]);
        cloud.stubFor(post("/image/v2/images").willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"img-1\", \"status\": \"queued\"}")));
        // What Glance 2025.1 answers when oslo.utils' format inspector refuses the data ("Image failed safety checks").
        cloud.stubFor(put("/image/v2/images/img-1/file").willReturn(aResponse().withStatus(415).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>415 Unsupported Media Type</title></head><body><h1>415 Unsupported Media Type</h1>"
                        + "The request media type application/octet-stream is not supported by this server.<br /><br /></body></html>")));
        cloud.stubFor(delete("/image/v2/images/img-1").willReturn(aResponse().withStatus(204)));
        WebImage image = new WebImage(api, ImageSource.of(new WebImageSource.LocalFile(vmdk), () -> null, null), ProgressBars.NONE);

        OpenStackException e = assertThrows(OpenStackException.class, () -> image.create(context));

        assertEquals(415, e.status());
        assertTrue(e.getMessage().contains("Glance refused the image's contents: they failed its format safety checks"), e.getMessage());
        assertTrue(e.getMessage().contains("qemu-img info FILE"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        cloud.verify(deleteRequestedFor(urlEqualTo("/image/v2/images/img-1")));
    }

    @Test
    void aFlavorTooSmallForTheImageIsOneLineBeforeAnyServerIsAskedFor() {
        cloud.stubFor(get("/compute/v2.1/flavors/detail").willReturn(okJson("""
                {"flavors": [{"id": "f-1", "name": "m1.tiny", "disk": 1}, {"id": "f-2", "name": "m1.small", "disk": 20},
                             {"id": "f-3", "name": "m1.nano", "disk": 2}]}""")));
        cloud.stubFor(get("/network/v2.0/networks?name=private").willReturn(okJson("{\"networks\": [{\"id\": \"net-1\", \"name\": \"private\"}]}")));
        cloud.stubFor(get("/image/v2/images/img-1").willReturn(okJson("""
                {"id": "img-1", "disk_format": "vmdk", "virtual_size": 2684354560, "min_disk": 0, "size": 412000000}""")));

        OpenStackException e = assertThrows(OpenStackException.class, () -> server("m1.tiny", Duration.ofSeconds(5)).create(context));

        assertEquals("flavor m1.tiny has a 1 GB disk, too small for the web image (virtual size 2.5 GB): set openstack.flavor in "
                + "hybrid.yaml to one with at least 3 GB, e.g. m1.small", e.getMessage());
        cloud.verify(0, postRequestedFor(urlEqualTo("/compute/v2.1/servers")));
    }

    @Test
    void novasOwnRefusalOfASmallDiskIsOneLineToo() {
        cloud.stubFor(get("/compute/v2.1/flavors/detail").willReturn(okJson("{\"flavors\": [{\"id\": \"f-1\", \"name\": \"m1.tiny\", \"disk\": 1}]}")));
        cloud.stubFor(get("/network/v2.0/networks?name=private").willReturn(okJson("{\"networks\": [{\"id\": \"net-1\", \"name\": \"private\"}]}")));
        // Glance does not know the virtual size (an image uploaded without it): only Nova finds out.
        cloud.stubFor(get("/image/v2/images/img-1").willReturn(okJson("{\"id\": \"img-1\", \"virtual_size\": null, \"min_disk\": 0}")));
        cloud.stubFor(post("/compute/v2.1/servers").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"badRequest": {"code": 400, "message": "Flavor's disk is too small for requested image. Flavor disk is 1073741824 bytes, image is 2684354560 bytes."}}""")));

        OpenStackException e = assertThrows(OpenStackException.class, () -> server("m1.tiny", Duration.ofSeconds(5)).create(context));

        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("flavor m1.tiny is too small for the web image, says Nova (Flavor's disk is too small"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("set openstack.flavor in hybrid.yaml to a flavor with a larger disk ('openstack flavor list')"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void anExternalNetworkThatDoesNotExistIsOneLineNamingItAndTheExternalNetworksThereAre() {
        cloud.stubFor(get("/network/v2.0/networks?name=private").willReturn(okJson("{\"networks\": [{\"id\": \"net-1\", \"name\": \"private\"}]}")));
        // "private" exists, but is no external network: a floating IP cannot come from it.
        cloud.stubFor(get("/network/v2.0/networks?name=private&router:external=true").willReturn(okJson("{\"networks\": []}")));
        cloud.stubFor(get("/network/v2.0/networks?id=private&router:external=true").willReturn(okJson("{\"networks\": []}")));
        cloud.stubFor(get("/network/v2.0/networks?router:external=true").willReturn(okJson("""
                {"networks": [{"id": "ext-1", "name": "public"}, {"id": "ext-2", "name": "provider"}]}""")));
        StackConfig.OpenStack config = new StackConfig.OpenStack(null, "m1.small", "private", "private", 8080, null, null);

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> OpenStackStack.checkNetworks(api, config));

        assertEquals("cloud 'contract' has no external network private: set openstack.external_network in hybrid.yaml to one of: "
                + "public, provider", e.getMessage());
    }

    @Test
    void theConsoleTailIsTheLastLinesWithTheSecretsRedacted() {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            log.append("[   ").append(i).append(".000] boot line ").append(i).append('\n');
        }
        log.append("cloud-init: AWS_SECRET_ACCESS_KEY=web-secret\n");
        log.append("ci-info: echoing the key web-secret again\n");
        log.append("db_password: 'hunter22'\n");
        log.append("hybrid-web: waiting for SQS\n");
        cloud.stubFor(post("/compute/v2.1/servers/srv-1/action").willReturn(okJson(JSON.createObjectNode().put("output", log.toString()).toString())));
        cloud.stubFor(get("/compute/v2.1/servers/srv-1").willReturn(okJson("""
                {"server": {"id": "srv-1", "status": "ERROR", "fault": {"code": 500, "message": "No valid host was found."}}}""")));
        ServerConsole console = new ServerConsole(api);

        List<String> tail = console.tail("srv-1", 20, List.of("web-secret"));

        assertEquals(20, tail.size(), tail.toString());
        assertEquals("[   15.000] boot line 15", tail.get(0));
        assertEquals("cloud-init: AWS_SECRET_ACCESS_KEY=[REDACTED]", tail.get(16));
        assertEquals("ci-info: echoing the key [REDACTED] again", tail.get(17));
        assertEquals("db_password: [REDACTED]", tail.get(18));
        assertEquals("hybrid-web: waiting for SQS", tail.get(19));
        assertTrue(tail.stream().noneMatch(line -> line.contains("web-secret") || line.contains("hunter22")), tail.toString());
        cloud.verify(postRequestedFor(urlEqualTo("/compute/v2.1/servers/srv-1/action"))
                .withRequestBody(matchingJsonPath("$.os-getConsoleOutput.length", equalTo("20"))));
        assertEquals("server srv-1 went to ERROR: No valid host was found.", console.failure("srv-1").orElseThrow());
    }

    private StackContext contextWithServer() {
        return TestOutputs.with(context, Map.of(NovaServer.KEY, Map.of(NovaServer.ID.name(), "srv-1")));
    }

    private void stubServerPrerequisites() {
        cloud.stubFor(get("/compute/v2.1/flavors/detail").willReturn(okJson("{\"flavors\": [{\"id\": \"f-2\", \"name\": \"m1.small\", \"disk\": 20}]}")));
        cloud.stubFor(get("/network/v2.0/networks?name=private").willReturn(okJson("{\"networks\": [{\"id\": \"net-1\", \"name\": \"private\"}]}")));
    }

    private NovaServer server(Duration timeout) {
        return server("m1.small", timeout);
    }

    /** A server whose image, key pair and security group exist in {@link #context}. */
    private NovaServer server(String flavor, Duration timeout) {
        TestOutputs.with(context, Map.of(
                WebImage.KEY, Map.of(WebImage.ID.name(), "img-1"),
                Keypair.KEY, Map.of(Keypair.NAME.name(), "hybrid-web1-d1234567"),
                SecurityGroup.KEY, Map.of(SecurityGroup.NAME.name(), "hybrid-web1-web")));
        WebUserData.Settings settings = new WebUserData.Settings("https://sqs.example/requests", "https://sqs.example/responses",
                "in-bucket", "out-bucket", "us-east-1", 8080, null, null, "web1", "lt-0123456789abcdef0");
        return new NovaServer(api, new NovaServer.Spec(flavor, "private", new NovaServer.ImageRef.Uploaded(),
                c -> WebUserData.render(settings, new WebUserData.Credentials("AKIAWEB", "web-secret")),
                c -> java.util.Optional.of(WebUserData.fingerprint(settings,
                        c.get(WebTierUser.ADDRESS.get(WebTierUser.ACCESS_KEY_ID)).orElse("AKIAWEB"))),
                timeout, java.util.Set.of(), java.util.Set.of()),
                new Waiter(new VirtualClock(), ProgressBars.NONE));
    }
}
