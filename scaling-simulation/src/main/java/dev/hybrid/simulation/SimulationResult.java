package dev.hybrid.simulation;

/**
 * Figures of one simulated burst, in milliseconds of virtual time.
 *
 * @param decisionDelayMillis first request until the first worker was activated; -1 if none was needed
 * @param timeToZeroMillis    last reply until no elastic worker was live (parked ones do not count)
 */
public record SimulationResult(SimulationScenario scenario, long makespanMillis, double averageLatencyMillis,
                               long p99LatencyMillis, int peakInstances, long decisionDelayMillis,
                               long timeToZeroMillis) {
}
