package dev.hybrid.cli.openstack.auth;

/** Keystone could not be reached or refused to issue a token; the message is one sentence with the URL and what to do. */
public class KeystoneException extends RuntimeException {
    public KeystoneException(String message) {
        super(message);
    }

    public KeystoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
