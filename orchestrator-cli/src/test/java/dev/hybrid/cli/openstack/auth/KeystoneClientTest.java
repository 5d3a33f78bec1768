package dev.hybrid.cli.openstack.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.config.AuthType;
import dev.hybrid.cli.config.CloudAuth;
import dev.hybrid.cli.config.CloudConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeystoneClientTest {
    private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");

    private WireMockServer keystone;
    private String authUrl;

    @BeforeEach
    void start() {
        // A throwaway test certificate for 127.0.0.1 and localhost; its PEM is the cacert of the TLS tests.
        String keystore = Path.of(URI.create(getClass().getResource("/config/keystone-tls.p12").toString())).toString();
        keystone = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort()
                .keystorePath(keystore).keystoreType("PKCS12").keystorePassword("test-only-keystore").keyManagerPassword("test-only-keystore"));
        keystone.start();
        authUrl = "http://127.0.0.1:" + keystone.port() + "/identity";
    }

    @AfterEach
    void stop() {
        keystone.stop();
    }

    private void stubToken(String token, Instant expiresAt) {
        keystone.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(201)
                .withHeader("X-Subject-Token", token)
                .withHeader("Content-Type", "application/json")
                .withBody(KeystoneFixtures.tokenBody(expiresAt, "http://127.0.0.1:" + keystone.port() + "/compute/v2.1"))));
    }

    @Test
    void passwordAuthenticationReturnsTokenExpiryAndCatalog() {
        stubToken("tok-1", NOW.plus(Duration.ofHours(1)));
        KeystoneToken token = new KeystoneClient(KeystoneFixtures.cloud(authUrl)).authenticate();

        assertEquals("tok-1", token.value());
        assertEquals(NOW.plus(Duration.ofHours(1)), token.expiresAt());
        assertEquals("p-1", token.projectId());
        assertEquals("u-1", token.userId());
        assertFalse(token.toString().contains("tok-1"));
        keystone.verify(postRequestedFor(urlEqualTo("/identity/v3/auth/tokens"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","domain":{"name":"Default"},"password":"pw-secret"}}},
                         "scope":{"project":{"name":"demo","domain":{"name":"Default"}}}}}""")));
    }

    @Test
    void catalogLookupByTypeInterfaceAndRegion() {
        stubToken("tok-1", NOW.plus(Duration.ofHours(1)));
        ServiceCatalog catalog = new KeystoneClient(KeystoneFixtures.cloud(authUrl)).authenticate().catalog();

        assertEquals(URI.create("http://127.0.0.1:" + keystone.port() + "/compute/v2.1"), catalog.endpoint("compute", "public", "RegionOne"));
        assertEquals(URI.create("http://10.0.0.1:8774/v2.1"), catalog.endpoint("compute", "internal", "RegionOne"));
        assertEquals(URI.create("http://two.example.org:8774/v2.1"), catalog.endpoint("compute", "public", "RegionTwo"));
        assertEquals(URI.create("http://one.example.org:9292"), catalog.endpoint("image", "public", null));
        assertEquals(URI.create("http://one.example.org:9696"), catalog.endpoint("network", "public", "RegionOne"));

        KeystoneException missing = assertThrows(KeystoneException.class, () -> catalog.endpoint("volumev3", "public", "RegionOne"));
        assertEquals("the service catalog has no public volumev3 endpoint in region RegionOne; it offers: compute/internal@RegionOne, "
                + "compute/public@RegionOne, compute/public@RegionTwo, image/public@RegionOne, network/public@RegionOne "
                + "(check region_name and interface in clouds.yaml)", missing.getMessage());
        KeystoneException ambiguous = assertThrows(KeystoneException.class, () -> catalog.endpoint("compute", "public", null));
        assertEquals("the service catalog has compute endpoints in several regions (RegionOne, RegionTwo): "
                + "set region_name in clouds.yaml or export OS_REGION_NAME", ambiguous.getMessage());
    }

    @Test
    void sessionLooksUpEndpointsWithTheCloudsInterfaceAndRegion() {
        stubToken("tok-1", NOW.plus(Duration.ofHours(1)));
        KeystoneSession session = new KeystoneSession(new KeystoneClient(KeystoneFixtures.cloud(authUrl)), Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(URI.create("http://one.example.org:9696"), session.endpoint("network"));
        assertEquals(URI.create("http://127.0.0.1:" + keystone.port() + "/compute/v2.1"), session.endpoint("compute"));
        keystone.verify(1, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));
    }

    @Test
    void rejectedPasswordIsOneSentenceThatSaysWhereToFixIt() {
        keystone.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"code\":401,\"message\":\"The request you have made requires authentication.\",\"title\":\"Unauthorized\"}}")));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new KeystoneClient(KeystoneFixtures.cloud(authUrl)).authenticate());
        assertEquals("Keystone at " + authUrl + "/v3/auth/tokens rejected the credentials of user alice in cloud 'test' (HTTP 401): "
                + "check password in secure.yaml next to /home/alice/.config/openstack/clouds.yaml or OS_PASSWORD, and user/project domains",
                e.getMessage());
        assertFalse(e.getMessage().contains("pw-secret"));
    }

    @Test
    void rejectedApplicationCredentialNamesTheSecretToCheck() {
        keystone.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(401)));
        CloudAuth auth = new CloudAuth(authUrl, null, null, null, null, null, null, null, null, null, "ac-1", null, "acs-secret", null);
        CloudConfig cloud = KeystoneFixtures.cloud(AuthType.APPLICATION_CREDENTIAL, auth, null, true);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new KeystoneClient(cloud).authenticate());
        assertEquals("Keystone at " + authUrl + "/v3/auth/tokens rejected the credentials of application credential ac-1 in cloud 'test' (HTTP 401): "
                + "check application_credential_secret in secure.yaml next to /home/alice/.config/openstack/clouds.yaml or OS_APPLICATION_CREDENTIAL_SECRET",
                e.getMessage());
    }

    @Test
    void otherStatusesCarryKeystonesMessageAndAHint() {
        keystone.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(404)
                .withBody("{\"error\":{\"code\":404,\"message\":\"Could not find project: demo.\",\"title\":\"Not Found\"}}")));
        KeystoneException e = assertThrows(KeystoneException.class, () -> new KeystoneClient(KeystoneFixtures.cloud(authUrl)).authenticate());
        assertEquals("Keystone at " + authUrl + "/v3/auth/tokens answered HTTP 404 for cloud 'test' (Could not find project: demo.): "
                + "check auth_url, which should point at Keystone (e.g. https://host:5000/v3)", e.getMessage());
    }

    @Test
    void unreachableAuthUrlIsOneSentenceWithTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + "/v3";
        KeystoneException e = assertThrows(KeystoneException.class, () -> new KeystoneClient(KeystoneFixtures.cloud(unreachable)).authenticate());
        assertEquals("cannot reach Keystone at " + unreachable + "/auth/tokens for cloud 'test' (connection refused): "
                + "check auth_url (/home/alice/.config/openstack/clouds.yaml:2:3) and that the cloud is up", e.getMessage());
    }

    @Test
    void malformedAuthUrlIsRejectedBeforeAnyRequest() {
        KeystoneException e = assertThrows(KeystoneException.class, () -> new KeystoneClient(KeystoneFixtures.cloud("keystone:5000")));
        assertEquals("auth_url 'keystone:5000' of cloud 'test' (/home/alice/.config/openstack/clouds.yaml:2:3) is not a URL: "
                + "write it like https://keystone.example.org:5000/v3", e.getMessage());
    }

    @Test
    void authUrlWithOrWithoutVersion() {
        assertEquals(URI.create("http://h:5000/v3/auth/tokens"), KeystoneClient.tokensUri("http://h:5000"));
        assertEquals(URI.create("http://h:5000/v3/auth/tokens"), KeystoneClient.tokensUri("http://h:5000/"));
        assertEquals(URI.create("http://h:5000/v3/auth/tokens"), KeystoneClient.tokensUri("http://h:5000/v3"));
        assertEquals(URI.create("https://h/identity/v3/auth/tokens"), KeystoneClient.tokensUri("https://h/identity/v3/"));
    }

    @Test
    void expiredTokenIsRenewedBeforeUse() {
        keystone.stubFor(post("/identity/v3/auth/tokens").inScenario("renew").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "tok-1")
                        .withBody(KeystoneFixtures.tokenBody(NOW.plus(Duration.ofHours(1)), "http://c")))
                .willSetStateTo("second"));
        keystone.stubFor(post("/identity/v3/auth/tokens").inScenario("renew").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "tok-2")
                        .withBody(KeystoneFixtures.tokenBody(NOW.plus(Duration.ofHours(3)), "http://c"))));
        MutableClock clock = new MutableClock(NOW);
        KeystoneSession session = new KeystoneSession(new KeystoneClient(KeystoneFixtures.cloud(authUrl)), clock);

        KeystoneToken first = session.token();
        clock.now = NOW.plus(Duration.ofMinutes(30));
        assertSame(first, session.token());
        keystone.verify(1, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));

        clock.now = NOW.plus(Duration.ofMinutes(59).plusSeconds(30)); // within the renewal margin
        KeystoneToken renewed = session.token();
        assertNotSame(first, renewed);
        assertEquals("tok-2", renewed.value());
        keystone.verify(2, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));
    }

    @Test
    void serviceThatRefusesTheTokenTriggersOneReauthenticationAndRetry() throws Exception {
        keystone.stubFor(post("/identity/v3/auth/tokens").inScenario("revoked").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "tok-1")
                        .withBody(KeystoneFixtures.tokenBody(NOW.plus(Duration.ofHours(1)), "http://c")))
                .willSetStateTo("second"));
        keystone.stubFor(post("/identity/v3/auth/tokens").inScenario("revoked").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "tok-2")
                        .withBody(KeystoneFixtures.tokenBody(NOW.plus(Duration.ofHours(1)), "http://c"))));
        keystone.stubFor(get("/compute/servers").withHeader("X-Auth-Token", equalTo("tok-1")).willReturn(aResponse().withStatus(401)));
        keystone.stubFor(get("/compute/servers").withHeader("X-Auth-Token", equalTo("tok-2")).willReturn(aResponse().withStatus(200).withBody("{\"servers\":[]}")));
        KeystoneSession session = new KeystoneSession(new KeystoneClient(KeystoneFixtures.cloud(authUrl)), new MutableClock(NOW));

        HttpResponse<String> response = session.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + keystone.port() + "/compute/servers")).GET(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("{\"servers\":[]}", response.body());
        keystone.verify(2, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));
        keystone.verify(2, getRequestedFor(urlEqualTo("/compute/servers")));
        assertEquals("tok-2", session.token().value());
    }

    @Test
    void verifyFalseAcceptsASelfSignedCertificateAndVerifyTrueExplainsTheFailure() {
        String httpsUrl = "https://127.0.0.1:" + keystone.httpsPort() + "/identity";
        stubToken("tok-tls", NOW.plus(Duration.ofHours(1)));
        CloudConfig insecure = KeystoneFixtures.cloud(AuthType.PASSWORD, KeystoneFixtures.passwordAuth(httpsUrl), "RegionOne", false);
        assertEquals("tok-tls", new KeystoneClient(insecure).authenticate().value());

        CloudConfig strict = KeystoneFixtures.cloud(AuthType.PASSWORD, KeystoneFixtures.passwordAuth(httpsUrl), "RegionOne", true);
        KeystoneException e = assertThrows(KeystoneException.class, () -> new KeystoneClient(strict).authenticate());
        assertTrue(e.getMessage().startsWith("TLS with Keystone at " + httpsUrl + "/v3/auth/tokens failed for cloud 'test' ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("): set cacert to the CA bundle of the cloud, or verify: false for a test cloud"), e.getMessage());
    }

    @Test
    void cacertTrustsTheCloudsOwnCertificate() throws Exception {
        stubToken("tok-ca", NOW.plus(Duration.ofHours(1)));
        Path bundle = Path.of(getClass().getResource("/config/keystone-tls-cert.pem").toURI());
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            String httpsUrl = "https://" + host + ":" + keystone.httpsPort() + "/identity";
            CloudConfig withCa = new CloudConfig("test", null, "the OS_* environment variables", AuthType.PASSWORD,
                    KeystoneFixtures.passwordAuth(httpsUrl), "RegionOne", "public", "3", true, bundle);
            assertEquals("tok-ca", new KeystoneClient(withCa).authenticate().value());
        }
    }

    @Test
    void cacertThatIsNoCertificateIsAConfigurationError(@TempDir Path dir) throws Exception {
        Path bundle = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        CloudConfig withCa = new CloudConfig("test", null, "the OS_* environment variables", AuthType.PASSWORD,
                KeystoneFixtures.passwordAuth(authUrl), "RegionOne", "public", "3", true, bundle);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new KeystoneClient(withCa));
        assertTrue(e.getMessage().startsWith("cacert " + bundle + " of cloud 'test' is not a PEM certificate bundle"), e.getMessage());
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
