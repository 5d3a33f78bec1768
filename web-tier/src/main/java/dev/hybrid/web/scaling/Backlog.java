package dev.hybrid.web.scaling;

/** The request queue's approximate depth: messages waiting, and messages received but not yet deleted. */
public record Backlog(int visible, int inFlight) {
    public static final Backlog EMPTY = new Backlog(0, 0);

    public Backlog {
        if (visible < 0 || inFlight < 0) {
            throw new IllegalArgumentException("backlog counts cannot be negative: " + visible + "/" + inFlight);
        }
    }
}
