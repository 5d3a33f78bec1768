package dev.hybrid.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CloudConfigLoaderTest {
    @TempDir
    Path root;

    // ---- search order --------------------------------------------------------------------------------------

    /** Each place names its cloud after itself; the places present are listed in precedence order. */
    static Stream<Arguments> searchOrder() {
        return Stream.of(
                Arguments.of(List.of("override", "cwd", "xdg", "home", "etcxdg", "etc"), "override"),
                Arguments.of(List.of("cwd", "xdg", "etcxdg", "etc"), "cwd"),
                Arguments.of(List.of("cwd-yml", "xdg"), "cwd-yml"),
                Arguments.of(List.of("cwd", "cwd-yml"), "cwd"),
                Arguments.of(List.of("xdg", "home", "etc"), "xdg"),
                Arguments.of(List.of("home", "etcxdg", "etc"), "home"),
                Arguments.of(List.of("etcxdg", "etc"), "etcxdg"),
                Arguments.of(List.of("etc"), "etc"),
                Arguments.of(List.of("etc-yml"), "etc-yml"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("searchOrder")
    void firstPlaceInOpenstacksdkOrderWins(List<String> present, String expected) {
        CloudsFixture fx = new CloudsFixture(root);
        boolean xdgUsed = present.contains("xdg");
        if (xdgUsed) {
            fx.env("XDG_CONFIG_HOME", root.resolve("xdg").toString());
        }
        for (String place : present) {
            Path file = switch (place) {
                case "override" -> root.resolve("elsewhere/my-clouds.yaml");
                case "cwd" -> fx.cwd.resolve("clouds.yaml");
                case "cwd-yml" -> fx.cwd.resolve("clouds.yml");
                case "xdg" -> root.resolve("xdg/openstack/clouds.yaml");
                // With XDG_CONFIG_HOME set, ~/.config/openstack is not searched at all, as with openstacksdk.
                case "home" -> fx.userConfigDir().resolve("clouds.yaml");
                case "etcxdg" -> fx.etcXdg.resolve("clouds.yaml");
                case "etc" -> fx.etc.resolve("clouds.yaml");
                case "etc-yml" -> fx.etc.resolve("clouds.yml");
                default -> throw new IllegalArgumentException(place);
            };
            fx.write(file, CloudsFixture.passwordCloud(place));
            if (place.equals("override")) {
                fx.env("OS_CLIENT_CONFIG_FILE", file.toString());
            }
        }
        assertEquals(expected, fx.load(null).name());
    }

    @Test
    void homeIsIgnoredWhenXdgConfigHomePointsElsewhere() {
        CloudsFixture fx = new CloudsFixture(root);
        fx.env("XDG_CONFIG_HOME", root.resolve("xdg").toString());
        fx.write(fx.userConfigDir().resolve("clouds.yaml"), CloudsFixture.passwordCloud("home"));
        fx.write(fx.etc.resolve("clouds.yaml"), CloudsFixture.passwordCloud("etc"));
        assertEquals("etc", fx.load(null).name());
    }

    // ---- secure.yaml ---------------------------------------------------------------------------------------

    @Test
    void secureYamlIsDeepMergedOverClouds() {
        CloudsFixture fx = new CloudsFixture(root);
        Path clouds = fx.write(fx.cwd.resolve("clouds.yaml"), """
                clouds:
                  mine:
                    auth:
                      auth_url: https://keystone.example.org/v3
                      username: alice
                      project_name: demo
                    region_name: RegionOne
                """);
        fx.write(fx.userConfigDir().resolve("secure.yaml"), """
                clouds:
                  mine:
                    auth:
                      password: from-secure
                    region_name: RegionTwo
                """);
        CloudConfig cloud = fx.load(null);
        assertEquals("from-secure", cloud.auth().password());
        assertEquals("alice", cloud.auth().username());
        assertEquals("https://keystone.example.org/v3", cloud.auth().authUrl());
        assertEquals("RegionTwo", cloud.regionName());
        assertEquals(clouds, cloud.file());
        assertEquals(clouds + ":2:3", cloud.definedAt());
    }

    @Test
    void secureFileCanBeNamedByEnvironment() {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), CloudsFixture.passwordCloud("mine").replace("password: s3cret-pw", "password: old"));
        Path secure = fx.write(root.resolve("vault/sec.yml"), "clouds: {mine: {auth: {password: from-override}}}\n");
        fx.env("OS_CLIENT_SECURE_FILE", secure.toString());
        assertEquals("from-override", fx.load(null).auth().password());
    }

    // ---- selection -----------------------------------------------------------------------------------------

    static Stream<Arguments> selection() {
        return Stream.of(
                Arguments.of(null, null, "only", List.of("only")),
                Arguments.of(null, "b", "b", List.of("a", "b", "c")),
                Arguments.of("c", "b", "c", List.of("a", "b", "c")),
                Arguments.of("a", null, "a", List.of("a", "b")));
    }

    @ParameterizedTest(name = "flag={0} OS_CLOUD={1} -> {2}")
    @MethodSource("selection")
    void flagThenOsCloudThenTheOnlyCloud(String flag, String osCloud, String expected, List<String> defined) {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), manyClouds(defined));
        if (osCloud != null) {
            fx.env("OS_CLOUD", osCloud);
        }
        assertEquals(expected, fx.load(flag).name());
        assertEquals(defined, fx.loader().cloudNames());
    }

    static Stream<Arguments> selectionWithHybridYaml() {
        return Stream.of(
                Arguments.of(null, null, "b", "b"),
                Arguments.of(null, "c", "b", "c"),
                Arguments.of("a", "c", "b", "a"));
    }

    @ParameterizedTest(name = "flag={0} OS_CLOUD={1} hybrid.yaml={2} -> {3}")
    @MethodSource("selectionWithHybridYaml")
    void hybridYamlCloudComesAfterFlagAndOsCloud(String flag, String osCloud, String configured, String expected) {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), manyClouds(List.of("a", "b", "c")));
        if (osCloud != null) {
            fx.env("OS_CLOUD", osCloud);
        }
        assertEquals(expected, fx.loader().load(flag, configured).name());
    }

    @Test
    void severalCloudsAndNoChoiceIsAnErrorListingThem() {
        CloudsFixture fx = new CloudsFixture(root);
        Path file = fx.write(fx.cwd.resolve("clouds.yaml"), manyClouds(List.of("a", "b")));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertEquals(file + " defines 2 clouds (a (line 2), b (line 11)): choose one with --os-cloud NAME or export OS_CLOUD=NAME", e.getMessage());
    }

    @Test
    void unknownCloudListsTheCloudsWithTheirLines() {
        CloudsFixture fx = new CloudsFixture(root);
        Path file = fx.write(fx.cwd.resolve("clouds.yaml"), manyClouds(List.of("a", "b")));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load("prod"));
        assertEquals("cloud 'prod' is not defined in " + file + "; it defines a (line 2), b (line 11)", e.getMessage());
    }

    // ---- environment overrides ------------------------------------------------------------------------------

    static Stream<Arguments> environmentOverrides() {
        return Stream.of(
                override("OS_AUTH_URL", "http://10.0.0.5:5000", c -> c.auth().authUrl()),
                override("OS_USERNAME", "bob", c -> c.auth().username()),
                override("OS_USER_ID", "u-123", c -> c.auth().userId()),
                override("OS_PASSWORD", "env-pw", c -> c.auth().password()),
                override("OS_PROJECT_NAME", "other", c -> c.auth().projectName()),
                override("OS_TENANT_NAME", "legacy", c -> c.auth().projectName()),
                override("OS_PROJECT_ID", "p-9", c -> c.auth().projectId()),
                override("OS_USER_DOMAIN_NAME", "ldap", c -> c.auth().userDomainName()),
                override("OS_USER_DOMAIN_ID", "d-1", c -> c.auth().userDomainId()),
                override("OS_PROJECT_DOMAIN_NAME", "corp", c -> c.auth().projectDomainName()),
                override("OS_PROJECT_DOMAIN_ID", "d-2", c -> c.auth().projectDomainId()),
                override("OS_REGION_NAME", "RegionTwo", CloudConfig::regionName),
                override("OS_INTERFACE", "internal", CloudConfig::interfaceName),
                override("OS_IDENTITY_API_VERSION", "3.14", CloudConfig::identityApiVersion),
                Arguments.of("OS_INSECURE", "true", (Function<CloudConfig, String>) c -> String.valueOf(c.verify()), "false"));
    }

    private static Arguments override(String variable, String value, Function<CloudConfig, String> read) {
        return Arguments.of(variable, value, read, value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environmentOverrides")
    void osVariablesOverrideTheFile(String variable, String value, Function<CloudConfig, String> read, String expected) {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), CloudsFixture.passwordCloud("mine"));
        fx.env(variable, value);
        assertEquals(expected, read.apply(fx.load(null)));
    }

    @Test
    void osCacertOverridesTheFile() {
        CloudsFixture fx = new CloudsFixture(root);
        Path ca = fx.write(root.resolve("ca.pem"), "not checked until TLS is set up");
        fx.write(fx.cwd.resolve("clouds.yaml"), CloudsFixture.passwordCloud("mine"));
        fx.env("OS_CACERT", ca.toString());
        assertEquals(ca, fx.load(null).cacert());
    }

    @Test
    void osAuthTypeSwitchesToApplicationCredentials() {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), CloudsFixture.passwordCloud("mine"));
        fx.env("OS_AUTH_TYPE", "v3applicationcredential")
                .env("OS_APPLICATION_CREDENTIAL_ID", "ac-1")
                .env("OS_APPLICATION_CREDENTIAL_SECRET", "ac-secret");
        CloudConfig cloud = fx.load(null);
        assertEquals(AuthType.APPLICATION_CREDENTIAL, cloud.authType());
        assertEquals("ac-1", cloud.auth().applicationCredentialId());
        assertEquals("ac-secret", cloud.auth().applicationCredentialSecret());
    }

    @Test
    void withoutAnyFileTheEnvironmentDefinesTheEnvvarsCloud() {
        CloudsFixture fx = new CloudsFixture(root);
        fx.env("OS_AUTH_URL", "http://127.0.0.1:5000/v3").env("OS_USERNAME", "admin").env("OS_PASSWORD", "pw")
                .env("OS_PROJECT_NAME", "admin").env("OS_REGION_NAME", "RegionOne");
        CloudConfig cloud = fx.load(null);
        assertEquals(CloudConfigLoader.ENVVARS, cloud.name());
        assertNull(cloud.file());
        assertEquals("admin", cloud.auth().username());
        assertEquals("RegionOne", cloud.regionName());
    }

    @Test
    void envvarsCloudCanBeAskedForEvenWithAFile() {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), CloudsFixture.passwordCloud("mine"));
        fx.env("OS_AUTH_URL", "http://127.0.0.1:5000/v3").env("OS_USERNAME", "admin").env("OS_PASSWORD", "pw")
                .env("OS_PROJECT_NAME", "admin").env("OS_CLOUD", "envvars");
        assertEquals("http://127.0.0.1:5000/v3", fx.load(null).auth().authUrl());
    }

    // ---- auth types ----------------------------------------------------------------------------------------

    static Stream<Arguments> authTypes() {
        return Stream.of(
                Arguments.of(null, AuthType.PASSWORD),
                Arguments.of("password", AuthType.PASSWORD),
                Arguments.of("v3password", AuthType.PASSWORD),
                Arguments.of("v3applicationcredential", AuthType.APPLICATION_CREDENTIAL),
                Arguments.of("token", AuthType.TOKEN),
                Arguments.of("v3token", AuthType.TOKEN));
    }

    @ParameterizedTest(name = "auth_type {0}")
    @MethodSource("authTypes")
    void eachAuthTypeIsRecognised(String authType, AuthType expected) {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), """
                clouds:
                  c:
                    %s
                    auth:
                      auth_url: http://127.0.0.1:5000
                      username: alice
                      password: pw
                      token: tok
                      application_credential_id: ac
                      application_credential_secret: acs
                      project_name: demo
                """.formatted(authType == null ? "" : "auth_type: " + authType));
        assertEquals(expected, fx.load(null).authType());
    }

    @Test
    void applicationCredentialByNameNeedsItsUser() {
        CloudsFixture fx = new CloudsFixture(root);
        Path file = fx.write(fx.cwd.resolve("clouds.yaml"), """
                clouds:
                  ac:
                    auth_type: v3applicationcredential
                    auth:
                      auth_url: http://127.0.0.1:5000
                      application_credential_name: deployer
                      application_credential_secret: acs
                """);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertEquals("cloud 'ac' (defined at " + file + ":2:3) names its application credential but not its owner: "
                + "set auth.username (or user_id), or use application_credential_id", e.getMessage());
        fx.env("OS_USERNAME", "alice");
        CloudConfig cloud = fx.load(null);
        assertEquals("deployer", cloud.auth().applicationCredentialName());
        assertEquals("alice", cloud.auth().username());
    }

    @Test
    void unknownAuthTypeNamesTheLineAndTheSupportedOnes() {
        CloudsFixture fx = new CloudsFixture(root);
        Path file = fx.write(fx.cwd.resolve("clouds.yaml"), """
                clouds:
                  c:
                    auth_type: v3oidcpassword
                    auth: {auth_url: http://127.0.0.1:5000}
                """);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertEquals(file + ":3:5: auth_type 'v3oidcpassword' is not supported; use one of password, v3applicationcredential, token", e.getMessage());
    }

    // ---- domains, keys outside auth, dashes ----------------------------------------------------------------

    static Stream<Arguments> domains() {
        return Stream.of(
                Arguments.of("user_domain_name: U\n      project_domain_name: P", "U", null, "P", null),
                Arguments.of("user_domain_id: uid\n      project_domain_id: pid", null, "uid", null, "pid"),
                Arguments.of("domain_name: Shared", "Shared", null, "Shared", null),
                Arguments.of("domain_id: shared-id", null, "shared-id", null, "shared-id"),
                Arguments.of("domain_name: Shared\n      user_domain_name: U", "U", null, "Shared", null),
                Arguments.of("domain_id: d\n      project_domain_name: P", null, "d", "P", null),
                Arguments.of("user_domain_name: U", "U", null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("domains")
    void domainsByNameOrIdWithTheSharedDomainAsFallback(String lines, String userName, String userId, String projectName, String projectId) {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), """
                clouds:
                  c:
                    auth:
                      auth_url: http://127.0.0.1:5000
                      username: alice
                      password: pw
                      project_name: demo
                      %s
                """.formatted(lines));
        CloudAuth auth = fx.load(null).auth();
        assertEquals(userName, auth.userDomainName());
        assertEquals(userId, auth.userDomainId());
        assertEquals(projectName, auth.projectDomainName());
        assertEquals(projectId, auth.projectDomainId());
    }

    @Test
    void authKeysOutsideAuthAndDashedKeysAreAcceptedAsOpenstacksdkDoes() {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), """
                clouds:
                  c:
                    auth-url: http://127.0.0.1:5000
                    username: outside
                    auth:
                      username: inside
                      password: pw
                      project-name: demo
                    region-name: R
                """);
        CloudConfig cloud = fx.load(null);
        assertEquals("http://127.0.0.1:5000", cloud.auth().authUrl());
        assertEquals("inside", cloud.auth().username());
        assertEquals("demo", cloud.auth().projectName());
        assertEquals("R", cloud.regionName());
    }

    // ---- TLS -----------------------------------------------------------------------------------------------

    static Stream<Arguments> tls() {
        return Stream.of(
                Arguments.of("", true),
                Arguments.of("verify: false", false),
                Arguments.of("verify: true", true),
                Arguments.of("insecure: true", false),
                Arguments.of("insecure: false", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tls")
    void verifyAndInsecure(String line, boolean verify) {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), CloudsFixture.passwordCloud("c") + "    " + line + "\n");
        CloudConfig cloud = fx.load(null);
        assertEquals(verify, cloud.verify());
        assertNull(cloud.cacert());
        assertEquals("public", cloud.interfaceName());
        assertEquals("3", cloud.identityApiVersion());
    }

    @Test
    void cacertMustExist() {
        CloudsFixture fx = new CloudsFixture(root);
        Path ca = fx.write(root.resolve("ca.pem"), "pem");
        Path file = fx.write(fx.cwd.resolve("clouds.yaml"), CloudsFixture.passwordCloud("c") + "    cacert: " + ca + "\n");
        assertEquals(ca, fx.load(null).cacert());
        fx.write(file, CloudsFixture.passwordCloud("c") + "    cacert: /nowhere/ca.pem\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertEquals(file + ":11:5: cacert /nowhere/ca.pem is not a readable file: fix the path or remove cacert", e.getMessage());
    }

    @Test
    void verifyMustBeABoolean() {
        CloudsFixture fx = new CloudsFixture(root);
        Path file = fx.write(fx.cwd.resolve("clouds.yaml"), CloudsFixture.passwordCloud("c") + "    verify: sometimes\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertEquals(file + ":11:5: verify must be true or false, got 'sometimes'", e.getMessage());
    }

    // ---- error messages ------------------------------------------------------------------------------------

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("clouds:\n  c:\n    auth: {auth_url: x\n", "%s:4:1: not valid YAML: expected ',' or '}', but got <stream end>"),
                Arguments.of("clouds:\n  c:\n   - a\n  d: [\n", "%s:5:1: not valid YAML: expected the node content, but found '<stream end>'"),
                Arguments.of("clouds:\n  c: {}\n  c: {}\n", "%s:3:3: key 'c' appears twice in the same mapping"),
                Arguments.of("- just\n- a list\n", "%s:1:1: expected a mapping of keys to values at the top of the file"),
                Arguments.of("cloud:\n  c: {}\n", "%s:1:1: expected a 'clouds:' mapping of cloud names to their settings"),
                Arguments.of("clouds: {}\n", "%s: 'clouds:' defines no cloud; add one (see clouds.yaml.example)"),
                Arguments.of("clouds:\n  c: just-a-string\n", "%s:2:3: cloud 'c' must be a mapping of settings"),
                Arguments.of("clouds:\n  c:\n    auth: [1]\n", "%s:3:5: 'auth' must be a mapping (auth_url, username, password, ...)"),
                Arguments.of("clouds:\n  c:\n    auth: {username: a, password: p, project_name: d}\n",
                        "cloud 'c' (defined at %s:2:3) has no auth_url: set auth.auth_url or export OS_AUTH_URL"),
                Arguments.of("clouds:\n  c:\n    auth: {auth_url: http://h, password: p, project_name: d}\n",
                        "cloud 'c' (defined at %s:2:3) has no username: set auth.username (or user_id) or export OS_USERNAME"),
                Arguments.of("clouds:\n  c:\n    auth:\n      auth_url: http://h\n      username: [a, b]\n      password: p\n",
                        "cloud 'c' (defined at %s:5:7) has a list as username: give it one value, as in 'username: VALUE'"),
                Arguments.of("clouds:\n  c:\n    auth: {auth_url: http://h, username: a, project_name: d}\n",
                        "cloud 'c' (defined at %s:2:3) has no password: set it in secure.yaml next to %s or export OS_PASSWORD"),
                Arguments.of("clouds:\n  c:\n    auth: {auth_url: http://h, username: a, password: p}\n",
                        "cloud 'c' (defined at %s:2:3) names no project: set auth.project_name (or project_id) or export OS_PROJECT_NAME"),
                Arguments.of("clouds:\n  c:\n    auth_type: token\n    auth: {auth_url: http://h, project_id: p}\n",
                        "cloud 'c' (defined at %s:2:3) has no token: set it in secure.yaml next to %s or export OS_TOKEN"),
                Arguments.of("clouds:\n  c:\n    auth_type: v3applicationcredential\n    auth: {auth_url: http://h, application_credential_id: i}\n",
                        "cloud 'c' (defined at %s:2:3) has no application_credential_secret: set it in secure.yaml next to %s or export OS_APPLICATION_CREDENTIAL_SECRET"),
                Arguments.of("clouds:\n  c:\n    auth_type: v3applicationcredential\n    auth: {auth_url: http://h, application_credential_secret: s}\n",
                        "cloud 'c' (defined at %s:2:3) has no application_credential_id: set auth.application_credential_id or export OS_APPLICATION_CREDENTIAL_ID"),
                Arguments.of("clouds:\n  c:\n    identity_api_version: 2\n    auth: {auth_url: http://h, username: a, password: p, project_name: d}\n",
                        "cloud 'c' (defined at %s:2:3) asks for identity_api_version 2, but only Keystone v3 is supported: set it to 3"),
                Arguments.of("clouds:\n  c:\n    interface: private\n    auth: {auth_url: http://h, username: a, password: p, project_name: d}\n",
                        "%s:3:5: interface 'private' is not one of public, internal, admin"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void errorsNameTheFileAndLine(String yaml, String expected) {
        CloudsFixture fx = new CloudsFixture(root);
        Path file = fx.write(fx.cwd.resolve("clouds.yaml"), yaml);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertEquals(expected.replace("%s", file.toString()), e.getMessage());
    }

    @Test
    void aBinaryFileIsNamedAsNotText() {
        CloudsFixture fx = new CloudsFixture(root);
        Path file = fx.write(fx.cwd.resolve("clouds.yaml"), "");
        try {
            java.nio.file.Files.write(file, new byte[] {'c', 'l', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, 0x00, 0x01});
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertEquals(file + ": not a YAML file: it is not UTF-8 text (is it a binary file?)", e.getMessage());
    }

    @Test
    void noCloudsYamlAnywhereListsThePlacesSearched() {
        CloudsFixture fx = new CloudsFixture(root);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        String places = Stream.of(fx.cwd, fx.userConfigDir(), fx.etcXdg, fx.etc)
                .flatMap(dir -> Stream.of(dir.resolve("clouds.yaml"), dir.resolve("clouds.yml")))
                .map(Path::toString)
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        assertEquals("no clouds.yaml found; looked in " + places
                + ": create one (see clouds.yaml.example), point OS_CLIENT_CONFIG_FILE at it, or export OS_AUTH_URL and friends", e.getMessage());
    }

    @Test
    void osClientConfigFileThatDoesNotExistIsAnError() {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), CloudsFixture.passwordCloud("cwd"));
        fx.env("OS_CLIENT_CONFIG_FILE", "/nowhere/clouds.yaml");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertEquals("OS_CLIENT_CONFIG_FILE names /nowhere/clouds.yaml, which is not a readable file: fix the path or unset OS_CLIENT_CONFIG_FILE", e.getMessage());
    }

    @Test
    void secretsNeverAppearInToStringOrMessages() {
        CloudsFixture fx = new CloudsFixture(root);
        fx.write(fx.cwd.resolve("clouds.yaml"), """
                clouds:
                  c:
                    auth:
                      auth_url: http://127.0.0.1:5000
                      username: alice
                      password: pw-SECRET-1
                      token: tok-SECRET-2
                      application_credential_secret: ac-SECRET-3
                      project_name: demo
                    region_name: RegionOne
                """);
        CloudConfig cloud = fx.load(null);
        String shown = cloud.toString() + cloud.auth();
        assertFalse(shown.contains("SECRET"), shown);
        assertTrue(shown.contains("alice"), shown);
        assertFalse(ConfigValue.scalar("pw-SECRET-1", "x").toString().contains("SECRET"));
        fx.write(fx.cwd.resolve("clouds.yaml"), "clouds:\n  c:\n    auth: {auth_url: http://h, password: pw-SECRET-1, project_name: d}\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        fx.write(fx.cwd.resolve("clouds.yaml"), "clouds:\n  c:\n    auth: {auth_url: http://h, username: a, password: [pw-SECRET-1], project_name: d}\n");
        ConfigurationException list = assertThrows(ConfigurationException.class, () -> fx.load(null));
        assertTrue(list.getMessage().contains("has a list as password"), list.getMessage());
        assertFalse(list.getMessage().contains("SECRET"), list.getMessage());
    }

    private static String manyClouds(List<String> names) {
        StringBuilder yaml = new StringBuilder("clouds:\n");
        for (String name : names) {
            yaml.append(CloudsFixture.passwordCloud(name).substring("clouds:\n".length()));
        }
        return yaml.toString();
    }
}
