package dev.hybrid.cli.config;

/** Bad flags, environment or configuration: exit code 2 and a one-line message saying what to do. */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}
