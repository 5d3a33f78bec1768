package dev.hybrid.cli.openstack.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.config.CloudConfig;
import dev.hybrid.cli.config.CloudConfigLoader;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Authenticates to the real devstack-lite cloud of this machine (/etc/openstack/clouds.yaml); CI sets HYBRID_DEVSTACK_LITE=1. */
@EnabledIfEnvironmentVariable(named = "HYBRID_DEVSTACK_LITE", matches = "1")
class KeystoneDevstackLiteTest {

    @Test
    void authenticatesAndFindsComputeImageAndNetworkEndpoints() {
        CloudConfig cloud = CloudConfigLoader.fromEnvironment().load("devstack-lite");
        KeystoneSession session = KeystoneSession.forCloud(cloud);

        KeystoneToken token = session.token();
        assertTrue(token.expiresAt().isAfter(Instant.now()), "token already expired: " + token);
        assertTrue(token.projectId() != null && !token.projectId().isBlank(), "token is not project scoped: " + token);
        for (String serviceType : List.of("compute", "image", "network")) {
            URI endpoint = session.endpoint(serviceType);
            assertTrue(List.of("http", "https").contains(endpoint.getScheme()), serviceType + " endpoint " + endpoint);
        }
        assertEquals(token, session.token(), "a fresh token must be reused, not fetched again");
    }
}
