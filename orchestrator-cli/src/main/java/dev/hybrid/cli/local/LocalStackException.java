package dev.hybrid.cli.local;

/** Something of the local stack did not start or stop; the message says what and where to look. */
public final class LocalStackException extends RuntimeException {
    public LocalStackException(String message) {
        super(message);
    }
}
