package dev.hybrid.cli;

import picocli.CommandLine.Option;

/**
 * How a local stack runs: its port, its workers and the model they load. With {@code --os-cloud local --aws PROFILE}
 * only the web tier runs here, always in the background, and its workers are EC2 instances: the port, the scaling
 * and the reply format apply, the model and the local base workers do not.
 */
final class LocalOptions {
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

    /** Given, or what suits local workers: each is a JVM with its own model, so not more than the cores. */
    int workersMax() {
        return workersMax != null ? workersMax : Math.min(20, Runtime.getRuntime().availableProcessors());
    }

    int warmPool() {
        return warmPool != null ? warmPool : 0;
    }

    void validate() {
        validateScaling(workersMax(), warmPool());
        if (baseWorkers < 0 || baseWorkers > 20) {
            throw new ConfigurationException("--base-workers must be between 0 and 20, not " + baseWorkers);
        }
        validateWeb();
        if (profile != null && !profile.equals("cse546") && !profile.equals("imagenet")) {
            throw new ConfigurationException("--profile must be cse546 or imagenet, not " + profile);
        }
        if (labels != null && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(labels))) {
            throw new ConfigurationException("--labels " + labels + " is not a file");
        }
    }

    /**
     * For a web tier here whose workers are EC2 instances: the model is baked into their image and there are no local
     * workers, so the options that only local workers read are refused rather than silently ignored.
     */
    void validateForAwsWorkers(int workersMax, int warmPool) {
        validateScaling(workersMax, warmPool);
        validateWeb();
        if (baseWorkers != 0 || model != null || labels != null || profile != null) {
            throw new ConfigurationException("--base-workers, --model, --labels and --profile are for --local only: with --aws PROFILE "
                    + "the workers are EC2 instances and their model is aws/model of hybrid.yaml");
        }
    }

    private static void validateScaling(int workersMax, int warmPool) {
        if (workersMax < 0 || workersMax > 20) {
            throw new ConfigurationException("--workers-max must be between 0 and 20, not " + workersMax);
        }
        if (warmPool < 0 || warmPool > workersMax) {
            throw new ConfigurationException("--warm-pool must be between 0 and --workers-max (" + workersMax + "), not " + warmPool);
        }
    }

    private void validateWeb() {
        if (port != null && (port < 1 || port > 65535)) {
            throw new ConfigurationException("--port must be between 1 and 65535, not " + port);
        }
        if (reply != null && !reply.equals("label") && !reply.equals("name-label")) {
            throw new ConfigurationException("--reply must be label or name-label, not " + reply);
        }
    }
}
