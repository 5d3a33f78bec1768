package dev.hybrid.worker;

/** Settings that cannot work; reported as one line with exit code 2. */
final class ConfigurationException extends RuntimeException {
    ConfigurationException(String message) {
        super(message);
    }
}
