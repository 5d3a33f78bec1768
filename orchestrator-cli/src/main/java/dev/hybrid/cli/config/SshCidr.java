package dev.hybrid.cli.config;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** The address block allowed to SSH to the web VM. */
public final class SshCidr {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private SshCidr() {
    }

    /**
     * {@code configured} when set; otherwise the address this machine uses to reach the auth_url host, as a
     * single-host block. Only the routing table is consulted: connecting a UDP socket sends nothing.
     * A loopback cloud gives {@code 127.0.0.1/32}.
     */
    public static String resolve(String configured, URI authUrl) {
        if (configured != null) {
            return configured;
        }
        String host = authUrl.getHost();
        if (host == null) {
            throw new ConfigFileException("auth_url " + authUrl + " names no host, so the address to allow SSH from is unknown: set openstack.ssh_cidr in hybrid.yaml");
        }
        InetAddress target;
        try {
            target = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigFileException("cannot resolve " + host + " (from auth_url) to find the address to allow SSH from: set openstack.ssh_cidr in hybrid.yaml");
        }
        if (target.isLoopbackAddress()) {
            return "127.0.0.1/32";
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(target, authUrl.getPort() > 0 ? authUrl.getPort() : 443);
            InetAddress local = socket.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new ConfigFileException("no route to " + host + " (from auth_url) to find the address to allow SSH from: set openstack.ssh_cidr in hybrid.yaml");
            }
            return local.getHostAddress() + (local instanceof Inet6Address ? "/128" : "/32");
        } catch (IOException e) {
            throw new ConfigFileException("no route to " + host + " (from auth_url) to find the address to allow SSH from: set openstack.ssh_cidr in hybrid.yaml");
        }
    }

    static boolean isValid(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String address = cidr.substring(0, slash);
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (IPV4.matcher(address).matches()) {
            return prefix >= 0 && prefix <= 32;
        }
        if (address.contains(":") && address.matches("[0-9a-fA-F:.]+")) {
            try {
                // A literal with ':' is parsed, never looked up.
                return InetAddress.getByName(address) instanceof Inet6Address && prefix >= 0 && prefix <= 128;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
