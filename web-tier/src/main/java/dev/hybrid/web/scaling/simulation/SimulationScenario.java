package dev.hybrid.web.scaling.simulation;

/**
 * One simulated run: a burst of requests against an empty elastic fleet. All times in milliseconds.
 *
 * @param arrivalSpreadMillis requests arrive uniformly at random within this window (0: all at once)
 * @param serviceMillis       mean time a worker spends on one image; actual times vary by ±serviceJitter
 * @param transportMillis     fixed overhead per request for the two SQS hops
 * @param coldStartMinMillis  launching a new worker until its ready line (run-from-AMI, or JVM + model load)
 * @param warmStartMinMillis  resuming a parked worker (start-from-stopped, or SIGCONT)
 * @param stopMillis          a worker told to stop or park until it has let go
 * @param parkedHoldMessages  parking suspends the worker process (local SIGSTOP), which may still hold a
 *                            message; false where it ends the process (a stopped EC2 instance)
 */
public record SimulationScenario(String name, long seed, int requests, long arrivalSpreadMillis,
                                 long serviceMillis, double serviceJitter, long transportMillis,
                                 long coldStartMinMillis, long coldStartMaxMillis,
                                 long warmStartMinMillis, long warmStartMaxMillis, long stopMillis,
                                 int warmPoolSize, int baseCapacity, int perWorkerTarget, int maxWorkers,
                                 long tickMillis, long cooldownMillis,
                                 boolean parkedHoldMessages) {

    public static final long DEFAULT_SERVICE_MILLIS = 100;

    public SimulationScenario {
        if (requests < 1) {
            throw new IllegalArgumentException("a scenario needs at least one request");
        }
        if (coldStartMinMillis > coldStartMaxMillis || warmStartMinMillis > warmStartMaxMillis) {
            throw new IllegalArgumentException("start delay ranges must have min <= max");
        }
        if (warmPoolSize > maxWorkers) {
            throw new IllegalArgumentException("the warm pool cannot exceed the maximum worker count");
        }
    }

    /** EC2-like delays: run-from-AMI 30–60 s, start-from-stopped 8–15 s. */
    public static SimulationScenario ec2(String name, long seed, int requests, long serviceMillis) {
        return new SimulationScenario(name, seed, requests, 0, serviceMillis, 0.3, 30,
                30_000, 60_000, 8_000, 15_000, 300, 0, 0, 1, 20, 250, 1_000, false);
    }

    /** Local process delays: JVM start and model load 3–6 s, SIGCONT 5–20 ms. */
    public static SimulationScenario local(String name, long seed, int requests, long serviceMillis) {
        return new SimulationScenario(name, seed, requests, 0, serviceMillis, 0.3, 5,
                3_000, 6_000, 5, 20, 300, 0, 0, 1, 20, 250, 1_000, true);
    }

    public SimulationScenario withWarmPool(int size) {
        return new SimulationScenario(name, seed, requests, arrivalSpreadMillis, serviceMillis, serviceJitter,
                transportMillis, coldStartMinMillis, coldStartMaxMillis, warmStartMinMillis, warmStartMaxMillis,
                stopMillis, size, baseCapacity, perWorkerTarget, maxWorkers, tickMillis, cooldownMillis,
                parkedHoldMessages);
    }

    public SimulationScenario withBaseCapacity(int workers) {
        return new SimulationScenario(name, seed, requests, arrivalSpreadMillis, serviceMillis, serviceJitter,
                transportMillis, coldStartMinMillis, coldStartMaxMillis, warmStartMinMillis, warmStartMaxMillis,
                stopMillis, warmPoolSize, workers, perWorkerTarget, maxWorkers, tickMillis, cooldownMillis,
                parkedHoldMessages);
    }

    public SimulationScenario named(String newName) {
        return new SimulationScenario(newName, seed, requests, arrivalSpreadMillis, serviceMillis, serviceJitter,
                transportMillis, coldStartMinMillis, coldStartMaxMillis, warmStartMinMillis, warmStartMaxMillis,
                stopMillis, warmPoolSize, baseCapacity, perWorkerTarget, maxWorkers, tickMillis, cooldownMillis,
                parkedHoldMessages);
    }

    public SimulationScenario withSeed(long newSeed) {
        return new SimulationScenario(name, newSeed, requests, arrivalSpreadMillis, serviceMillis, serviceJitter,
                transportMillis, coldStartMinMillis, coldStartMaxMillis, warmStartMinMillis, warmStartMaxMillis,
                stopMillis, warmPoolSize, baseCapacity, perWorkerTarget, maxWorkers, tickMillis, cooldownMillis,
                parkedHoldMessages);
    }
}
