package dev.hybrid.web.scaling;

import dev.hybrid.contract.WorkerLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to launch local worker processes.
 *
 * @param command      the worker command line; it must carry no secrets
 * @param environment  added to the web tier's own environment: queue URLs, buckets, endpoints, credentials
 * @param warmPoolSize suspended ready workers to keep
 * @param logDirectory where each worker's stderr goes ({@code <pid>.log}); null inherits the web tier's stderr
 */
public record LocalProcessSettings(List<String> command, Map<String, String> environment, int warmPoolSize,
                                   Duration readyTimeout, Duration stopGrace, Path logDirectory) {
    public LocalProcessSettings {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the worker command is empty");
        }
        if (warmPoolSize < 0) {
            throw new IllegalArgumentException("warmPoolSize cannot be negative, got " + warmPoolSize);
        }
    }

    /**
     * A worker's heavy work is native (decoding and the model); C2 compiling and G1's helper threads
     * only took CPU from the model on two cores. Measured with PipelineBenchmark: the worker's CPU
     * for 100 640×480 images 82 → 55 s in a first round, cold start about 0.3 s shorter, 64×64 rounds
     * unchanged, peak RSS lower. The EC2 unit (images/app-tier/hybrid-worker.service) runs the same.
     */
    public static final List<String> WORKER_RUNTIME_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** The JVM options of a local worker: {@link #WORKER_RUNTIME_OPTIONS}, and the jar's class-data archive if it has one. */
    public static List<String> workerJvmOptions(Path workerJar) {
        List<String> options = new ArrayList<>(WORKER_RUNTIME_OPTIONS);
        options.addAll(WorkerClassArchive.jvmOptions(workerJar));
        return options;
    }

    /** Memory kept for the web tier (its -Xmx768m and native memory) and the local emulators when workers share the machine. */
    static final long RESERVED_MB = 2048;
    /** A worker needs this much at least (the model, its native library and one small image). */
    static final long MIN_WORKER_MB = 768;

    /**
     * Each local worker's memory budget: the machine's memory less {@link #RESERVED_MB}, shared by the most workers
     * that may run at once, never under {@link #MIN_WORKER_MB}. The worker learns it from
     * {@link WorkerLimits#MEMORY_BUDGET_MB_ENV} and sizes its largest image and its forward passes by it.
     */
    public static long workerMemoryBudgetMb(long machineBytes, int workers) {
        long machineMb = machineBytes / (1024 * 1024);
        return Math.max(MIN_WORKER_MB, (machineMb - RESERVED_MB) / Math.max(1, workers));
    }

    /** The worker's heap: an eighth of its budget, between 256 MB and 2 GB; decoding needs about 40 bytes a pixel of it. */
    public static long workerHeapMb(long budgetMb) {
        return Math.max(256, Math.min(2048, budgetMb / 8));
    }

    /** The machine's memory, or the container's limit where there is one. */
    public static long machineMemoryBytes() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory() * 4;
    }

    /**
     * How long a stopped worker gets before it is killed: it first waits for its open long poll (up to 20 s) so that
     * a request the poll brings goes back to the queue at once instead of staying invisible for the visibility timeout.
     */
    public static final Duration WORKER_STOP_GRACE = Duration.ofSeconds(30);

    /** {@code java <workerJvmOptions> -jar <workerJar>} with the same Java the web tier runs on. */
    public static LocalProcessSettings forWorkerJar(Path workerJar, Map<String, String> environment, int warmPoolSize) {
        if (!Files.isRegularFile(workerJar)) {
            throw new IllegalArgumentException("worker jar not found: " + workerJar
                    + " (build it with: mvn -B -pl app-tier package)");
        }
        List<String> command = new ArrayList<>(List.of(currentJava()));
        String budget = environment.get(WorkerLimits.MEMORY_BUDGET_MB_ENV);
        if (budget != null) {
            command.add("-Xmx" + workerHeapMb(Long.parseLong(budget)) + "m");
        }
        command.addAll(workerJvmOptions(workerJar));
        command.addAll(List.of("-jar", workerJar.toString()));
        return new LocalProcessSettings(command, environment,
                warmPoolSize, Duration.ofMinutes(3), WORKER_STOP_GRACE, null);
    }

    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
