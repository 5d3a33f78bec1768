package dev.hybrid.web;

/** An upload refused with an HTTP status and a one-line, human-readable reason. */
final class Rejection extends RuntimeException {
    final int status;
    final String retryAfterSeconds;

    Rejection(int status, String message) {
        this(status, message, null);
    }

    Rejection(int status, String message, String retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
