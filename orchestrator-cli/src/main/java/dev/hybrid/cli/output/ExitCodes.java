package dev.hybrid.cli.output;

/** The exit codes every command uses; scripts may rely on them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** Finished, but resources were left over or requests failed. */
    public static final int INCOMPLETE = 3;

    private ExitCodes() {
    }
}
