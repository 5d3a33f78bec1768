package dev.hybrid.cli.engine;

/** What a walk does, or would do, to one resource instance. */
public enum Action {
    CREATE, KEEP, UPDATE, REPLACE, DELETE;

    public boolean mutates() {
        return this != KEEP;
    }
}
