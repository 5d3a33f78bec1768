package dev.hybrid.cli.openstack;

/** An OpenStack service refused or failed a request; the message is one sentence for the user. */
public class OpenStackException extends RuntimeException {
    private final int status;

    public OpenStackException(int status, String message) {
        super(message);
        this.status = status;
    }

    public OpenStackException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }

    public boolean conflict() {
        return status == 409;
    }
}
