package dev.hybrid.cli.output;

/** The exit codes every command uses; scripts may rely on them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** Finished, but resources were left over or requests failed. */
    public static final int INCOMPLETE = 3;
    /**
     * {@code up} made or kept the stack, but its canary failed: the web tier never answered healthy, or the image sent
     * through its public URL got no label. The resources stay, for the user to look at. The same code as
     * {@link #INCOMPLETE}: finished, but a request failed.
     */
    public static final int CANARY_FAILED = INCOMPLETE;

    private ExitCodes() {
    }
}
