package dev.hybrid.simulation;

/**
 * One simulated run: a burst of requests against an empty elastic fleet. All times in milliseconds.
 *
 * @param arrivalSpreadMillis requests arrive uniformly at random within this window (0: all at once)
 * @param serviceMillis       mean time a worker spends on one image; actual times vary by ±serviceJitter
 * @param transportMillis     fixed overhead per request for the two SQS hops
 * @param coldStartMinMillis  launching a new worker until it serves (run-from-AMI, or JVM + model load)
 * @param warmStartMinMillis  resuming a parked worker until it serves (start-from-stopped, or SIGCONT)
 * @param bootLeadMinMillis   the last part of every start, between the instance reporting {@code running} and
 *                            its worker serving (guest boot and the worker's own cold start); 0 where the
 *                            provider sees the worker's ready line itself (a local process)
 * @param stopMillis          a worker told to stop or park until it has let go
 * @param parkedHoldMessages  parking suspends the worker process (local SIGSTOP), which may still hold a
 *                            message; false where it ends the process (a stopped EC2 instance)
 * @param instanceStates      the provider sees instance states, not the worker's ready line (EC2): a start
 *                            counts as starting while {@code pending} and as running from {@code running} on,
 *                            and one parked while pending is stopped by the first decision that sees it
 *                            {@code running}; false: it is up at its ready line and parked at once (local)
 */
public record SimulationScenario(String name, long seed, int requests, long arrivalSpreadMillis,
                                 long serviceMillis, double serviceJitter, long transportMillis,
                                 long coldStartMinMillis, long coldStartMaxMillis,
                                 long warmStartMinMillis, long warmStartMaxMillis,
                                 long bootLeadMinMillis, long bootLeadMaxMillis, long stopMillis,
                                 int warmPoolSize, int baseCapacity, int perWorkerTarget, int maxWorkers,
                                 long tickMillis, long cooldownMillis,
                                 boolean parkedHoldMessages, boolean instanceStates) {

    public static final long DEFAULT_SERVICE_MILLIS = 100;
    /**
     * The boot lead of an EC2 start, modelled as the worker's measured cold start alone (process start to first
     * reply with model load, 1.88–2.36 s in docs/benchmarks.md): the guest's own boot before systemd starts the
     * worker is not measured here and is taken as 0, which can only make the lead shorter than it is.
     */
    public static final long EC2_BOOT_LEAD_MIN_MILLIS = 1_900;
    public static final long EC2_BOOT_LEAD_MAX_MILLIS = 2_300;

    public SimulationScenario {
        if (requests < 1) {
            throw new IllegalArgumentException("a scenario needs at least one request");
        }
        if (coldStartMinMillis > coldStartMaxMillis || warmStartMinMillis > warmStartMaxMillis
                || bootLeadMinMillis > bootLeadMaxMillis) {
            throw new IllegalArgumentException("start delay ranges must have min <= max");
        }
        if (bootLeadMinMillis < 0 || bootLeadMaxMillis > Math.min(coldStartMinMillis, warmStartMinMillis)) {
            throw new IllegalArgumentException("the boot lead is part of every start delay, so at most the shortest one");
        }
        if (bootLeadMaxMillis > 0 && !instanceStates) {
            throw new IllegalArgumentException("a boot lead needs a provider that sees instance states");
        }
        if (warmPoolSize > maxWorkers) {
            throw new IllegalArgumentException("the warm pool cannot exceed the maximum worker count");
        }
    }

    /**
     * EC2-like delays to the worker serving: run-from-AMI 30–60 s, start-from-stopped 8–15 s, each ending with a
     * boot lead of 1.9–2.3 s after EC2 reports the instance {@code running}.
     */
    public static SimulationScenario ec2(String name, long seed, int requests, long serviceMillis) {
        return new SimulationScenario(name, seed, requests, 0, serviceMillis, 0.3, 30,
                30_000, 60_000, 8_000, 15_000, EC2_BOOT_LEAD_MIN_MILLIS, EC2_BOOT_LEAD_MAX_MILLIS, 300,
                0, 0, 1, 20, 250, 1_000, false, true);
    }

    /** Local process delays: JVM start and model load 3–6 s, SIGCONT 5–20 ms; the ready line is seen at once. */
    public static SimulationScenario local(String name, long seed, int requests, long serviceMillis) {
        return new SimulationScenario(name, seed, requests, 0, serviceMillis, 0.3, 5,
                3_000, 6_000, 5, 20, 0, 0, 300, 0, 0, 1, 20, 250, 1_000, true, false);
    }

    public SimulationScenario withWarmPool(int size) {
        return new SimulationScenario(name, seed, requests, arrivalSpreadMillis, serviceMillis, serviceJitter,
                transportMillis, coldStartMinMillis, coldStartMaxMillis, warmStartMinMillis, warmStartMaxMillis,
                bootLeadMinMillis, bootLeadMaxMillis, stopMillis, size, baseCapacity, perWorkerTarget, maxWorkers,
                tickMillis, cooldownMillis, parkedHoldMessages, instanceStates);
    }

    public SimulationScenario withBaseCapacity(int workers) {
        return new SimulationScenario(name, seed, requests, arrivalSpreadMillis, serviceMillis, serviceJitter,
                transportMillis, coldStartMinMillis, coldStartMaxMillis, warmStartMinMillis, warmStartMaxMillis,
                bootLeadMinMillis, bootLeadMaxMillis, stopMillis, warmPoolSize, workers, perWorkerTarget, maxWorkers,
                tickMillis, cooldownMillis, parkedHoldMessages, instanceStates);
    }

    /** The same starts with the given boot lead (0–0: the instance reports {@code running} once its worker serves). */
    public SimulationScenario withBootLead(long minMillis, long maxMillis) {
        return new SimulationScenario(name, seed, requests, arrivalSpreadMillis, serviceMillis, serviceJitter,
                transportMillis, coldStartMinMillis, coldStartMaxMillis, warmStartMinMillis, warmStartMaxMillis,
                minMillis, maxMillis, stopMillis, warmPoolSize, baseCapacity, perWorkerTarget, maxWorkers,
                tickMillis, cooldownMillis, parkedHoldMessages, instanceStates);
    }

    public SimulationScenario named(String newName) {
        return new SimulationScenario(newName, seed, requests, arrivalSpreadMillis, serviceMillis, serviceJitter,
                transportMillis, coldStartMinMillis, coldStartMaxMillis, warmStartMinMillis, warmStartMaxMillis,
                bootLeadMinMillis, bootLeadMaxMillis, stopMillis, warmPoolSize, baseCapacity, perWorkerTarget, maxWorkers,
                tickMillis, cooldownMillis, parkedHoldMessages, instanceStates);
    }

    public SimulationScenario withSeed(long newSeed) {
        return new SimulationScenario(name, newSeed, requests, arrivalSpreadMillis, serviceMillis, serviceJitter,
                transportMillis, coldStartMinMillis, coldStartMaxMillis, warmStartMinMillis, warmStartMaxMillis,
                bootLeadMinMillis, bootLeadMaxMillis, stopMillis, warmPoolSize, baseCapacity, perWorkerTarget, maxWorkers,
                tickMillis, cooldownMillis, parkedHoldMessages, instanceStates);
    }
}
