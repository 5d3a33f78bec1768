package dev.hybrid.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshCidrTest {

    @Test
    void configuredValueWins() {
        assertEquals("198.51.100.7/32", SshCidr.resolve("198.51.100.7/32", URI.create("http://127.0.0.1:5000/v3")));
    }

    @Test
    void loopbackCloudGivesLoopbackBlock() {
        assertEquals("127.0.0.1/32", SshCidr.resolve(null, URI.create("http://127.0.0.1:5000/v3")));
        assertEquals("127.0.0.1/32", SshCidr.resolve(null, URI.create("http://localhost:5000/v3")));
    }

    @Test
    void otherCloudGivesTheLocalAddressOfTheRouteToIt() throws Exception {
        // 192.0.2.1 (TEST-NET-1) is never answered; only the routing decision is taken, nothing is sent.
        String cidr;
        try {
            cidr = SshCidr.resolve(null, URI.create("https://192.0.2.1:5000/v3"));
        } catch (ConfigurationException noRoute) {
            assertTrue(noRoute.getMessage().startsWith("no route to 192.0.2.1"), noRoute.getMessage());
            return;
        }
        assertTrue(cidr.endsWith("/32"), cidr);
        InetAddress local = InetAddress.getByName(cidr.substring(0, cidr.length() - 3));
        assertTrue(NetworkInterface.getByInetAddress(local) != null, cidr + " is not an address of this machine");
    }

    @Test
    void unresolvableHostSaysWhatToSet() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SshCidr.resolve(null, URI.create("https://no-such-host.invalid:5000/v3")));
        assertEquals("cannot resolve no-such-host.invalid (from auth_url) to find the address to allow SSH from: set openstack.ssh_cidr in hybrid.yaml",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"203.0.113.7/32,true", "0.0.0.0/0,true", "10.0.0.0/8,true", "2001:db8::1/128,true", "2001:db8::/32,true",
            "10.0.0.256/32,false", "10.0.0.1,false", "10.0.0.1/33,false", "2001:db8::1/129,false", "example.org/32,false", "10.0.0.1/x,false"})
    void validBlocks(String cidr, boolean valid) {
        assertEquals(valid, SshCidr.isValid(cidr));
    }
}
