package dev.hybrid.cli.openstack.auth;

import dev.hybrid.cli.config.AuthType;
import dev.hybrid.cli.config.CloudAuth;
import dev.hybrid.cli.config.CloudConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Clouds and Keystone answers for tests. */
final class KeystoneFixtures {
    /** Keystone writes microseconds: 2026-11-23T02:00:00.000000Z. */
    private static final DateTimeFormatter KEYSTONE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private KeystoneFixtures() {
    }

    static CloudAuth passwordAuth(String authUrl) {
        return new CloudAuth(authUrl, "alice", null, "pw-secret", "demo", null, "Default", null, null, null, null, null, null, null);
    }

    static CloudConfig cloud(String authUrl) {
        return cloud(AuthType.PASSWORD, passwordAuth(authUrl), "RegionOne", true);
    }

    static CloudConfig cloud(AuthType type, CloudAuth auth, String region, boolean verify) {
        return new CloudConfig("test", Path.of("/home/alice/.config/openstack/clouds.yaml"),
                "/home/alice/.config/openstack/clouds.yaml:2:3", type, auth, region, "public", "3", verify, null);
    }

    static String tokenBody(Instant expiresAt, String computeUrl) {
        return """
                {"token": {
                  "methods": ["password"],
                  "expires_at": "%s",
                  "issued_at": "2026-01-01T00:00:00.000000Z",
                  "user": {"id": "u-1", "name": "alice", "domain": {"id": "default", "name": "Default"}},
                  "project": {"id": "p-1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
                  "catalog": [
                    {"type": "compute", "name": "nova", "endpoints": [
                      {"interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "%s"},
                      {"interface": "internal", "region_id": "RegionOne", "region": "RegionOne", "url": "http://10.0.0.1:8774/v2.1"},
                      {"interface": "public", "region_id": "RegionTwo", "region": "RegionTwo", "url": "http://two.example.org:8774/v2.1"}]},
                    {"type": "image", "name": "glance", "endpoints": [
                      {"interface": "public", "region_id": "RegionOne", "url": "http://one.example.org:9292"}]},
                    {"type": "network", "name": "neutron", "endpoints": [
                      {"interface": "public", "region": "RegionOne", "url": "http://one.example.org:9696"}]}
                  ]}}
                """.formatted(KEYSTONE_TIME.format(expiresAt), computeUrl);
    }
}
