package dev.hybrid.cli.targets;

import java.io.IOException;
import java.time.Duration;

/**
 * Where a stack runs, and the four things a command asks of it. Each implementation prints its own text or its one
 * JSON document on the {@link Console} it was made with and returns the exit code. {@link Targets} picks one.
 */
public interface Target {
    /** What up would do; changes nothing. */
    int plan();

    /** Creates what is missing and repairs what drifted, then starts what runs here. */
    int up(Up request) throws InterruptedException;

    /** What exists, is missing or drifted, and how the running service is. Changes nothing. */
    int status(Status request);

    /** Stops what runs here and deletes everything tagged with the stack. */
    int teardown(Teardown request) throws InterruptedException, IOException;

    /** Bakes a tier's image on EC2; only a target with a real AWS side can. */
    int imageBuild(String tier);

    /**
     * @param local       how a web tier here runs (for the targets that run one)
     * @param waitHealthy whether to wait for the web tier's /healthz after it is up
     * @param rotateKeys  replace the web tier's access key with a new one
     * @param canary      classify one generated image through the web tier's public URL once it is healthy
     * @param canaryTimeout how long the canary image may take (a first worker may have to start)
     */
    record Up(LocalSettings local, boolean waitHealthy, Duration healthTimeout, boolean rotateKeys, boolean canary,
              Duration canaryTimeout) {
    }

    /** @param checkHealth whether to ask the web tier's /healthz */
    record Status(boolean checkHealth) {
    }

    /**
     * @param yes        do not ask for confirmation
     * @param keepData   a local stack keeps its queues' and buckets' data
     * @param keepImages keep the baked images and their snapshots
     */
    record Teardown(boolean yes, boolean keepData, boolean keepImages) {
    }
}
