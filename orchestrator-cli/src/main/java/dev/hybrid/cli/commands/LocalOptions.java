package dev.hybrid.cli.commands;

import dev.hybrid.cli.targets.LocalSettings;
import picocli.CommandLine.Option;

/** The options of a web tier that runs here ({@code --local}, {@code --os-cloud local}); {@link LocalSettings} says how they apply. */
public final class LocalOptions {
    @Option(names = {"-d", "--detach"}, description = "With --local: start in the background, record pids and ports, and return.")
    boolean detach;

    @Option(names = "--port", paramLabel = "PORT",
            description = "With --local: the web tier's port (default 8080, or a free one if 8080 is taken).")
    Integer port;

    /**
     * Every local worker is a JVM with its own copy of the model, so more workers than cores only
     * compete for the same CPUs; on a cloud the maximum stays 20.
     */
    @Option(names = "--workers-max", paramLabel = "N",
            description = "With --local: at most this many workers (default: the number of cores, at most 20; "
                    + "with --os-cloud local --aws PROFILE: aws.scaling.max of hybrid.yaml).")
    Integer workersMax;

    @Option(names = "--warm-pool", paramLabel = "N",
            description = "With --local: keep N workers loaded and parked for fast scale-out (default: 0; "
                    + "with --os-cloud local --aws PROFILE: aws.scaling.warm_pool of hybrid.yaml).")
    Integer warmPool;

    @Option(names = "--base-workers", defaultValue = "0", paramLabel = "N",
            description = {"With --local: private base capacity, N workers that always consume the queue beside the elastic ones, "
                    + "which then only take the burst (default: ${DEFAULT-VALUE})."})
    int baseWorkers;

    @Option(names = "--reply", paramLabel = "label|name-label", description = "With --local: what a plain upload answers (default: label).")
    String reply;

    @Option(names = "--model", paramLabel = "URL",
            description = "With --local: djl://…, file:/path/model.pt or s3://… (default: the ResNet-18 of the DJL model zoo).")
    String model;

    @Option(names = "--labels", paramLabel = "FILE", description = "With --local: labels for a file: model, a JSON array or one per line.")
    String labels;

    @Option(names = "--profile", paramLabel = "cse546|imagenet", description = "With --local: preprocessing profile.")
    String profile;

    @Option(names = "--memory-budget", paramLabel = "MB",
            description = "With --local: each worker's memory (heap, native library, model, activations; its -Xmx is an eighth), at least 768 "
                    + "(default: HYBRID_WORKER_MEMORY_MB if set, else the machine's memory less 2 GB shared by --workers-max plus --base-workers).")
    Long memoryBudgetMb;

    /** The options as the targets take them. */
    LocalSettings settings() {
        return new LocalSettings(detach, port, workersMax, warmPool, baseWorkers, reply, model, labels, profile, memoryBudgetMb);
    }
}
