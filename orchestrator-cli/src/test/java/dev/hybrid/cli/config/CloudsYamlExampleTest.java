package dev.hybrid.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clouds.yaml.example at the root of the repository is a working clouds.yaml once the secrets are supplied. */
class CloudsYamlExampleTest {
    private static final Path EXAMPLE = Path.of("..", "clouds.yaml.example");

    @TempDir
    Path root;

    @Test
    void everyExampleCloudLoadsWithItsSecretFromSecureYaml() throws Exception {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.userConfigDir().resolve("clouds.yaml"), Files.readString(EXAMPLE));
        fx.write(fx.userConfigDir().resolve("secure.yaml"), """
                clouds:
                  mycloud: {auth: {password: pw}}
                  mycloud-appcred: {auth: {application_credential_secret: acs}}
                  devstack-lite: {auth: {password: pw}}
                """);
        assertEquals(List.of("mycloud", "mycloud-appcred", "devstack-lite"), fx.loader().cloudNames());

        assertEquals(AuthType.PASSWORD, fx.load("mycloud").authType());
        assertEquals("pw", fx.load("mycloud").auth().password());
        assertEquals(AuthType.APPLICATION_CREDENTIAL, fx.load("mycloud-appcred").authType());
        assertEquals("acs", fx.load("mycloud-appcred").auth().applicationCredentialSecret());
        CloudConfig devstack = fx.load("devstack-lite");
        assertEquals("http://127.0.0.1:5000/v3", devstack.auth().authUrl());
        assertEquals(false, devstack.verify());
    }
}
