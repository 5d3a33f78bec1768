package dev.hybrid.cli.openstack.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.config.AuthType;
import dev.hybrid.cli.config.CloudAuth;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthRequestsTest {
    private static final String URL = "http://127.0.0.1:5000/v3";

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("password, project by name in its own domain", AuthType.PASSWORD,
                        new CloudAuth(URL, "alice", null, "pw", "demo", null, "Users", null, "Projects", null, null, null, null, null),
                        """
                        {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","domain":{"name":"Users"},"password":"pw"}}},
                         "scope":{"project":{"name":"demo","domain":{"name":"Projects"}}}}}"""),
                Arguments.of("password, project domain falls back to the user's", AuthType.PASSWORD,
                        new CloudAuth(URL, "alice", null, "pw", "demo", null, null, "uid", null, null, null, null, null, null),
                        """
                        {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","domain":{"id":"uid"},"password":"pw"}}},
                         "scope":{"project":{"name":"demo","domain":{"id":"uid"}}}}}"""),
                Arguments.of("password, no domains at all means default", AuthType.PASSWORD,
                        new CloudAuth(URL, "alice", null, "pw", "demo", null, null, null, null, null, null, null, null, null),
                        """
                        {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","domain":{"id":"default"},"password":"pw"}}},
                         "scope":{"project":{"name":"demo","domain":{"id":"default"}}}}}"""),
                Arguments.of("password, user and project by id", AuthType.PASSWORD,
                        new CloudAuth(URL, null, "u-1", "pw", null, "p-1", null, null, null, null, null, null, null, null),
                        """
                        {"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u-1","password":"pw"}}},
                         "scope":{"project":{"id":"p-1"}}}}"""),
                Arguments.of("application credential by id, unscoped", AuthType.APPLICATION_CREDENTIAL,
                        new CloudAuth(URL, null, null, null, null, null, null, null, null, null, "ac-1", null, "acs", null),
                        """
                        {"auth":{"identity":{"methods":["application_credential"],"application_credential":{"id":"ac-1","secret":"acs"}}}}"""),
                Arguments.of("application credential by name and owner", AuthType.APPLICATION_CREDENTIAL,
                        new CloudAuth(URL, "alice", null, null, null, null, "Default", null, null, null, null, "deployer", "acs", null),
                        """
                        {"auth":{"identity":{"methods":["application_credential"],"application_credential":{"name":"deployer",
                         "user":{"name":"alice","domain":{"name":"Default"}},"secret":"acs"}}}}"""),
                Arguments.of("token, project scoped", AuthType.TOKEN,
                        new CloudAuth(URL, null, null, null, "demo", null, null, null, null, "pd", null, null, null, "tok"),
                        """
                        {"auth":{"identity":{"methods":["token"],"token":{"id":"tok"}},"scope":{"project":{"name":"demo","domain":{"id":"pd"}}}}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void bodyForEachAuthType(String description, AuthType type, CloudAuth auth, String expected) throws Exception {
        var body = AuthRequests.body(KeystoneFixtures.cloud(type, auth, null, true));
        assertEquals(new ObjectMapper().readTree(expected), body);
    }
}
