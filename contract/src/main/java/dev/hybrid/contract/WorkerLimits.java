package dev.hybrid.contract;

/**
 * The worker's limits that its launchers set: the names of their environment variables and their defaults.
 * The local compute provider sets them for each worker process; a worker started by hand derives them itself.
 */
public final class WorkerLimits {
    /**
     * Megabytes of memory (resident set: heap, native library, model and activations) one worker may use. The
     * worker derives from it the largest image it classifies and how many images go through the network at once.
     */
    public static final String MEMORY_BUDGET_MB_ENV = EnvNames.WORKER_MEMORY_MB;
    /** The least budget a worker starts with: the model, its native library and one small image. */
    public static final long MIN_MEMORY_BUDGET_MB = 768;
    /**
     * Receives of a request before the queue moves it to the dead-letter queue (the redrive policy's
     * {@code maxReceiveCount}); on the last one a request that fails gets an error reply first.
     */
    public static final String MAX_RECEIVES_ENV = EnvNames.MAX_RECEIVES;
    /** The stack's redrive policy. */
    public static final int DEFAULT_MAX_RECEIVES = 5;

    private WorkerLimits() {}
}
