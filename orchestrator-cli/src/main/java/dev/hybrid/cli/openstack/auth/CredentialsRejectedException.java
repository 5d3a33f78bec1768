package dev.hybrid.cli.openstack.auth;

import dev.hybrid.cli.config.ConfigurationException;

/** Keystone answered 401 to the credentials of clouds.yaml: a configuration problem the user has to fix. */
public class CredentialsRejectedException extends ConfigurationException {
    public CredentialsRejectedException(String message) {
        super(message);
    }
}
