package dev.hybrid.cli.config;


/** A configuration file or variable that cannot be used; the message names where and says what to do. */
public class ConfigFileException extends ConfigurationException {
    public ConfigFileException(String message) {
        super(message);
    }
}
