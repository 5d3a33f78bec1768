package dev.hybrid.cli.engine;

/** The verdict of comparing an observed instance with what the resource wants it to be. */
public record Diff(Action action, String reason) {
    public Diff {
        if (action != Action.KEEP && action != Action.UPDATE && action != Action.REPLACE) {
            throw new IllegalArgumentException("a comparison yields keep, update or replace, not " + action);
        }
    }

    public static Diff keep() {
        return new Diff(Action.KEEP, "");
    }

    /** Drift that the resource repairs in place. */
    public static Diff update(String reason) {
        return new Diff(Action.UPDATE, reason);
    }

    /** Drift that only deleting and re-creating repairs. */
    public static Diff replace(String reason) {
        return new Diff(Action.REPLACE, reason);
    }
}
