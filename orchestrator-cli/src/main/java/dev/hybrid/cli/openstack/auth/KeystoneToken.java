package dev.hybrid.cli.openstack.auth;

import java.time.Instant;

/**
 * A scoped Keystone token. {@link #toString()} never shows the token itself.
 *
 * @param value the X-Subject-Token, to be sent as X-Auth-Token
 */
public record KeystoneToken(String value, Instant expiresAt, String projectId, String userId, ServiceCatalog catalog) {

    /** True when the token has expired or will within {@code marginSeconds}. */
    public boolean expiresWithin(Instant now, long marginSeconds) {
        return !now.plusSeconds(marginSeconds).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "KeystoneToken[value=***, expiresAt=" + expiresAt + ", projectId=" + projectId + ", userId=" + userId + "]";
    }
}
