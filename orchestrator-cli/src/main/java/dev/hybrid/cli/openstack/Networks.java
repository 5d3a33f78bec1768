package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

final class Networks {
    private Networks() {
    }

    /**
     * A network's id by name (or id), with the names that exist when there is none. An external network must be one
     * ({@code router:external}): a floating IP cannot come from a tenant network of the same name.
     */
    static String idByName(OpenStackApi api, String nameOrId, boolean external) {
        String onlyExternal = external ? "&router:external=true" : "";
        JsonNode networks = api.get(ServiceType.NETWORK, "/networks?name=" + URLEncoder.encode(nameOrId, StandardCharsets.UTF_8) + onlyExternal)
                .path("networks");
        if (networks.isEmpty()) {
            networks = api.get(ServiceType.NETWORK, "/networks?id=" + URLEncoder.encode(nameOrId, StandardCharsets.UTF_8) + onlyExternal)
                    .path("networks");
        }
        if (networks.size() == 1) {
            return networks.get(0).path("id").asText();
        }
        String setting = external ? "openstack.external_network" : "openstack.network";
        if (networks.size() > 1) {
            throw new OpenStackException(409, "cloud '" + api.cloudName() + "' has " + networks.size() + " networks named " + nameOrId
                    + ": give its id in " + setting + " of hybrid.yaml");
        }
        StringBuilder names = new StringBuilder();
        for (JsonNode network : api.get(ServiceType.NETWORK, "/networks" + (external ? "?router:external=true" : "")).path("networks")) {
            names.append(names.length() == 0 ? "" : ", ").append(network.path("name").asText());
        }
        throw new OpenStackException(404, "cloud '" + api.cloudName() + "' has no " + (external ? "external " : "") + "network " + nameOrId
                + ": set " + setting + " in hybrid.yaml to one of: " + (names.length() == 0 ? "(none)" : names));
    }
}
