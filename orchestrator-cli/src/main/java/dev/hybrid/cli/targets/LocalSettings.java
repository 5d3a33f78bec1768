package dev.hybrid.cli.targets;

import dev.hybrid.cli.local.LocalStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.contract.WorkerLimits;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a web tier here runs: its port, its workers and the model they load. With {@code --local} all of it applies;
 * with {@code --os-cloud local --aws PROFILE} only the web tier runs here, always in the background, and its workers
 * are EC2 instances: the port, the scaling and the reply format apply, the model and the local base workers do not.
 *
 * @param workersMax null for the default of the target
 * @param warmPool   null for the default of the target
 * @param memoryBudgetMb each local worker's memory budget; null: what the web tier derives (or HYBRID_WORKER_MEMORY_MB)
 */
public record LocalSettings(boolean detach, Integer port, Integer workersMax, Integer warmPool, int baseWorkers, String reply, String model,
                            String labels, String profile, Long memoryBudgetMb) {

    /** Every option at its default. */
    public static LocalSettings defaults() {
        return new LocalSettings(false, null, null, null, 0, null, null, null, null, null);
    }

    public LocalSettings withDetach(boolean detach) {
        return new LocalSettings(detach, port, workersMax, warmPool, baseWorkers, reply, model, labels, profile, memoryBudgetMb);
    }

    public LocalSettings withPort(Integer port) {
        return new LocalSettings(detach, port, workersMax, warmPool, baseWorkers, reply, model, labels, profile, memoryBudgetMb);
    }

    public LocalSettings withWorkersMax(Integer workersMax) {
        return new LocalSettings(detach, port, workersMax, warmPool, baseWorkers, reply, model, labels, profile, memoryBudgetMb);
    }

    public LocalSettings withModel(String model) {
        return new LocalSettings(detach, port, workersMax, warmPool, baseWorkers, reply, model, labels, profile, memoryBudgetMb);
    }

    /**
     * The options given on this command line that differ from what the running web tier was started with, as
     * {@code --flag NEW (runs with OLD)}; options left out are not compared. Empty for a record without settings.
     */
    List<String> changedFrom(LocalStack.WebOptions running, int runningPort) {
        List<String> changed = new ArrayList<>();
        if (running == null) {
            return changed;
        }
        compare(changed, "--port", port, runningPort);
        compare(changed, "--workers-max", workersMax, running.workersMax());
        compare(changed, "--warm-pool", warmPool, running.warmPool());
        compare(changed, "--base-workers", baseWorkers == 0 ? null : baseWorkers, running.baseWorkers());
        compare(changed, "--reply", reply, running.reply());
        compare(changed, "--model", model, running.model());
        compare(changed, "--labels", labels, running.labels());
        compare(changed, "--profile", profile, running.profile());
        compare(changed, "--memory-budget", memoryBudgetMb, running.memoryBudgetMb());
        return changed;
    }

    private static void compare(List<String> changed, String flag, Object given, Object running) {
        if (given != null && !Objects.equals(given, running)) {
            changed.add(flag + " " + given + " (runs with " + (running == null ? "the default" : running) + ")");
        }
    }

    /** Given, or what suits local workers: each is a JVM with its own model, so not more than the cores. */
    int workersMaxOrCores() {
        return workersMax != null ? workersMax : Math.min(20, Runtime.getRuntime().availableProcessors());
    }

    int warmPoolOrNone() {
        return warmPool != null ? warmPool : 0;
    }

    void validate() {
        validateScaling(workersMaxOrCores(), warmPoolOrNone());
        if (baseWorkers < 0 || baseWorkers > 20) {
            throw new ConfigurationException("--base-workers must be between 0 and 20, not " + baseWorkers);
        }
        validateWeb();
        if (profile != null && !profile.equals("cse546") && !profile.equals("imagenet")) {
            throw new ConfigurationException("--profile must be cse546 or imagenet, not " + profile);
        }
        if (labels != null && !Files.isRegularFile(Path.of(labels))) {
            throw new ConfigurationException("--labels " + labels + " is not a file");
        }
        if (memoryBudgetMb != null && memoryBudgetMb < WorkerLimits.MIN_MEMORY_BUDGET_MB) {
            throw new ConfigurationException("--memory-budget must be at least " + WorkerLimits.MIN_MEMORY_BUDGET_MB + " (MB), not "
                    + memoryBudgetMb);
        }
    }

    /**
     * A budget exported in {@code HYBRID_WORKER_MEMORY_MB} reaches the web tier, which gives it to every worker: checked here so
     * that a bad one fails this up in one line instead of every worker at its start.
     */
    static void validateInheritedBudget(java.util.Map<String, String> env) {
        String given = env.get(WorkerLimits.MEMORY_BUDGET_MB_ENV);
        if (given == null || given.isBlank()) {
            return;
        }
        long mb;
        try {
            mb = Long.parseLong(given.trim());
        } catch (NumberFormatException e) {
            mb = -1;
        }
        if (mb < WorkerLimits.MIN_MEMORY_BUDGET_MB) {
            throw new ConfigurationException(WorkerLimits.MEMORY_BUDGET_MB_ENV + " must be a whole number of MB, at least "
                    + WorkerLimits.MIN_MEMORY_BUDGET_MB + ", not '" + given + "': fix or unset it, or give --memory-budget MB");
        }
    }

    /**
     * For a web tier here whose workers are EC2 instances: the model is baked into their image and there are no local
     * workers, so the options that only local workers read are refused rather than silently ignored.
     */
    void validateForAwsWorkers(int workersMax, int warmPool) {
        validateScaling(workersMax, warmPool);
        validateWeb();
        if (baseWorkers != 0 || model != null || labels != null || profile != null || memoryBudgetMb != null) {
            throw new ConfigurationException("--base-workers, --model, --labels, --profile and --memory-budget are for --local only: with --aws PROFILE "
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
