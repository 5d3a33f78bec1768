package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hybrid.cli.engine.Address;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.OutputKey;
import dev.hybrid.cli.engine.OutputValues;
import dev.hybrid.cli.engine.Ref;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.contract.Roles;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The web server's public address. Nova's add-floating-ip proxy is gone, so the address is bound to the
 * server's Neutron port, then polled until Neutron and Nova both show it. The FIP's own status is only
 * reported: on a cloud without a data plane it stays DOWN forever.
 */
public final class FloatingIp implements Resource {
    public static final String KEY = "os:floating-ip";
    public static final Address<FloatingIp> ADDRESS = Address.of(FloatingIp.class, KEY);
    /** The public address, e.g. {@code 172.24.4.9}. */
    public static final OutputKey<FloatingIp, String> IP = OutputKey.text(FloatingIp.class, "address");
    public static final OutputKey<FloatingIp, String> STATUS = OutputKey.text(FloatingIp.class, "status");
    static final String ROLE = Roles.WEB_FLOATING_IP;
    static final Duration POLL = Duration.ofMillis(500);
    private static final Ref<String> SERVER = NovaServer.ADDRESS.get(NovaServer.ID);
    /** The states of the wait for the association: bound to the port in Neutron, then also shown by Nova. */
    private static final String UNBOUND = "unbound";
    private static final String ON_THE_PORT = "on the port";
    private static final String SEEN_BY_NOVA = "seen by Nova";

    private final OpenStackApi api;
    private final String externalNetwork;
    private final Duration associateTimeout;
    private final Waiter waiter;

    public FloatingIp(OpenStackApi api, String externalNetwork, Duration associateTimeout, Waiter waiter) {
        this.api = api;
        this.externalNetwork = externalNetwork;
        this.associateTimeout = associateTimeout;
        this.waiter = waiter;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "floating-ip";
    }

    @Override
    public Set<Ref<?>> reads() {
        return Set.of(SERVER);
    }

    /** Set at allocation, so even an address whose tags were never written is found again. */
    static String description(StackContext context) {
        return String.join(" ", OpenStackTags.of(context, ROLE));
    }

    @Override
    public List<Observed> discover(StackContext context) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode fip : api.get(ServiceType.NETWORK, "/floatingips?tags=" + OpenStackTags.stackFilter(context)).path("floatingips")) {
            if (OpenStackTags.belongsTo(fip.path("tags"), context, ROLE)) {
                byId.put(fip.path("id").asText(), fip);
            }
        }
        for (JsonNode fip : api.get(ServiceType.NETWORK, "/floatingips").path("floatingips")) {
            JsonNode words = Json.array(List.of(fip.path("description").asText("").split(" ")));
            if (OpenStackTags.belongsTo(words, context, ROLE)) {
                byId.putIfAbsent(fip.path("id").asText(), fip);
            }
        }
        List<Observed> found = new ArrayList<>();
        for (JsonNode fip : byId.values()) {
            JsonNode tags = fip.path("tags").isEmpty() ? Json.array(List.of(fip.path("description").asText("").split(" "))) : fip.path("tags");
            found.add(observe(fip, OpenStackTags.deployment(tags)));
        }
        return found;
    }

    private static Observed observe(JsonNode fip, String deployment) {
        String id = fip.path("id").asText();
        return new Observed(id, deployment, Map.of("port", fip.path("port_id").asText(""), "status", fip.path("status").asText()),
                OutputValues.of(IP, fip.path("floating_ip_address").asText()).and(STATUS, fip.path("status").asText()).toMap());
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        if (context.get(SERVER).isEmpty()) {
            return Diff.update("not bound to the web server's port: " + Ref.knownAfterApply(List.of(SERVER)));
        }
        String port = serverPort(context);
        return port.equals(observed.attributes().get("port")) ? Diff.keep()
                : Diff.update("not bound to the web server's port " + port);
    }

    @Override
    public Observed create(StackContext context) {
        String port = serverPort(context);
        String network = Networks.idByName(api, externalNetwork, true);
        JsonNode fip = api.post(ServiceType.NETWORK, "/floatingips", Json.object(o -> o.set("floatingip", Json.object(f -> f
                .put("floating_network_id", network).put("port_id", port).put("description", description(context)))))).path("floatingip");
        String id = fip.path("id").asText();
        api.put(ServiceType.NETWORK, "/floatingips/" + id + "/tags", Json.object(o -> o.set("tags", Json.array(OpenStackTags.of(context, ROLE)))));
        return awaitAssociated(id, port, context);
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        String port = serverPort(context);
        api.put(ServiceType.NETWORK, "/floatingips/" + observed.physicalId(), Json.object(o -> o.set("floatingip",
                Json.object(f -> f.put("port_id", port)))));
        return awaitAssociated(observed.physicalId(), port, context);
    }

    /**
     * Done when Neutron has the address on the port and Nova lists it among the server's addresses as floating. The
     * address's own status (ACTIVE or DOWN) is only shown: a cloud without a data plane, like devstack-lite's fake
     * driver, leaves it DOWN for good.
     */
    private Observed awaitAssociated(String id, String port, StackContext context) {
        String server = context.require(SERVER);
        JsonNode fip = waiter.until("floating IP to server " + server, () -> {
                    JsonNode seen = api.get(ServiceType.NETWORK, "/floatingips/" + id).path("floatingip");
                    boolean neutron = port.equals(seen.path("port_id").asText());
                    boolean nova = neutron && novaShows(server, seen.path("floating_ip_address").asText());
                    return Waiter.Observation.of(seen, nova ? SEEN_BY_NOVA : neutron ? ON_THE_PORT : UNBOUND);
                })
                .pending(UNBOUND, ON_THE_PORT).target(SEEN_BY_NOVA).pollEvery(POLL).timeout(associateTimeout)
                .noting(seen -> seen.value().path("status").asText() + (UNBOUND.equals(seen.state()) ? "" : ", " + seen.state()))
                .onTimeout(seen -> "floating IP " + seen.value().path("floating_ip_address").asText() + " is not yet "
                        + (ON_THE_PORT.equals(seen.state()) ? "shown by Nova on" : "bound to") + " server " + server + " after "
                        + associateTimeout.toSeconds() + " s (status " + seen.value().path("status").asText() + "); the next 'hybrid up' checks it again")
                .await();
        return observe(fip, context.deploymentId());
    }

    private boolean novaShows(String server, String address) {
        for (JsonNode network : api.get(ServiceType.COMPUTE, "/servers/" + server).path("server").path("addresses")) {
            for (JsonNode entry : network) {
                if (address.equals(entry.path("addr").asText()) && "floating".equals(entry.path("OS-EXT-IPS:type").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private String serverPort(StackContext context) {
        String server = context.require(SERVER);
        JsonNode ports = api.get(ServiceType.NETWORK, "/ports?device_id=" + URLEncoder.encode(server, StandardCharsets.UTF_8)).path("ports");
        if (ports.isEmpty()) {
            throw new OpenStackException(404, "server " + server + " has no Neutron port; was it booted on a network?");
        }
        return ports.get(0).path("id").asText();
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        api.delete(ServiceType.NETWORK, "/floatingips/" + observed.physicalId());
    }
}
