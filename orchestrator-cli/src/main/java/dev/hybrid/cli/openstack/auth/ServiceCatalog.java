package dev.hybrid.cli.openstack.auth;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/** The service catalog of a Keystone v3 token. */
public record ServiceCatalog(List<Service> services) {

    public record Service(String type, String name, List<Endpoint> endpoints) {
    }

    /** @param region the region id (Keystone v3 {@code region_id}, falling back to the older {@code region}) */
    public record Endpoint(String interfaceName, String region, URI url) {
    }

    public ServiceCatalog {
        services = List.copyOf(services);
    }

    /**
     * The endpoint of a service type for an interface, in a region (any region when {@code region} is null).
     *
     * @throws KeystoneException naming what the catalog does offer
     */
    public URI endpoint(String serviceType, String interfaceName, String region) {
        List<Endpoint> matches = services.stream()
                .filter(service -> service.type().equals(serviceType))
                .flatMap(service -> service.endpoints().stream())
                .filter(endpoint -> endpoint.interfaceName().equals(interfaceName))
                .filter(endpoint -> region == null || region.equals(endpoint.region()))
                .toList();
        if (matches.isEmpty()) {
            throw new KeystoneException("the service catalog has no " + interfaceName + " " + serviceType + " endpoint"
                    + (region == null ? "" : " in region " + region) + "; it offers: " + describe()
                    + " (check region_name and interface in clouds.yaml)");
        }
        if (region == null && matches.stream().map(Endpoint::region).distinct().count() > 1) {
            throw new KeystoneException("the service catalog has " + serviceType + " endpoints in several regions ("
                    + matches.stream().map(Endpoint::region).distinct().collect(Collectors.joining(", "))
                    + "): set region_name in clouds.yaml or export OS_REGION_NAME");
        }
        return matches.get(0).url();
    }

    private String describe() {
        if (services.isEmpty()) {
            return "nothing (is the token scoped to a project?)";
        }
        return services.stream()
                .flatMap(service -> service.endpoints().stream()
                        .map(endpoint -> service.type() + "/" + endpoint.interfaceName() + "@" + endpoint.region()))
                .sorted()
                .collect(Collectors.joining(", "));
    }
}
