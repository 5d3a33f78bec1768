package dev.hybrid.cli.config;

import java.nio.file.Path;

/**
 * One cloud of clouds.yaml, ready to authenticate with.
 *
 * @param name              the cloud's key under {@code clouds:} ({@code envvars} when it comes from {@code OS_*} alone)
 * @param file              the clouds.yaml it was defined in, null for {@code envvars}
 * @param definedAt         file:line:column of its definition, or a description of the environment
 * @param interfaceName     endpoint interface to use from the catalog: public (default), internal or admin
 * @param identityApiVersion as written ("3" unless set)
 * @param verify            false when TLS certificates are not to be checked ({@code verify: false} / {@code insecure: true})
 * @param cacert            PEM bundle of CAs to trust instead of the system ones, or null
 */
public record CloudConfig(
        String name,
        Path file,
        String definedAt,
        AuthType authType,
        CloudAuth auth,
        String regionName,
        String interfaceName,
        String identityApiVersion,
        boolean verify,
        Path cacert) {

    /** Where the secrets of this cloud belong, for hints. */
    public String secureFileHint() {
        return file == null ? "secure.yaml" : "secure.yaml next to " + file;
    }

    @Override
    public String toString() {
        return "CloudConfig[name=" + name + ", definedAt=" + definedAt + ", authType=" + authType.configName() + ", auth=" + auth
                + ", region=" + regionName + ", interface=" + interfaceName + ", identityApiVersion=" + identityApiVersion
                + ", verify=" + verify + ", cacert=" + cacert + "]";
    }
}
