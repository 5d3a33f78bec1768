package dev.hybrid.cli.openstack;

/** The services the web tier's side needs, with the API version their paths start with. */
public enum ServiceType {
    COMPUTE("compute", ""),
    IMAGE("image", "/v2"),
    NETWORK("network", "/v2.0");

    final String catalogType;
    /** Glance and Neutron catalogs usually list the bare root; Nova's lists its versioned root. */
    final String versionPath;

    ServiceType(String catalogType, String versionPath) {
        this.catalogType = catalogType;
        this.versionPath = versionPath;
    }
}
