package dev.hybrid.web.scaling.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingSimulationTest {
    private static final SimulationScenario EC2 = SimulationScenario.ec2("ec2", 7, 100, 100);
    private static final SimulationScenario LOCAL = SimulationScenario.local("local", 7, 100, 100);

    @Test
    void theSameSeedGivesTheSameFigures() {
        assertEquals(ScalingSimulation.run(EC2.withWarmPool(10)), ScalingSimulation.run(EC2.withWarmPool(10)));
        List<SimulationResult> first = ScalingSimulation.standardScenarios(42, 100, 100).stream().map(ScalingSimulation::run).toList();
        List<SimulationResult> second = ScalingSimulation.standardScenarios(42, 100, 100).stream().map(ScalingSimulation::run).toList();
        assertEquals(first, second);
        assertEquals(SimulationTable.render(first), SimulationTable.render(second));
    }

    @Test
    void aDifferentSeedGivesDifferentFigures() {
        assertNotEquals(ScalingSimulation.run(EC2).averageLatencyMillis(),
                ScalingSimulation.run(EC2.withSeed(8)).averageLatencyMillis());
    }

    @Test
    void aLargerWarmPoolLowersLatency() {
        double cold = ScalingSimulation.run(EC2).averageLatencyMillis();
        double warm10 = ScalingSimulation.run(EC2.withWarmPool(10)).averageLatencyMillis();
        double warm20 = ScalingSimulation.run(EC2.withWarmPool(20)).averageLatencyMillis();
        assertTrue(warm10 < cold, "warm 10 " + warm10 + " vs cold " + cold);
        assertTrue(warm20 < warm10, "warm 20 " + warm20 + " vs warm 10 " + warm10);

        double localCold = ScalingSimulation.run(LOCAL).averageLatencyMillis();
        double localWarm = ScalingSimulation.run(LOCAL.withWarmPool(10)).averageLatencyMillis();
        assertTrue(localWarm < localCold, "local warm " + localWarm + " vs cold " + localCold);
    }

    @Test
    void baseCapacityServesBeforeAnyInstanceBoots() {
        SimulationResult withBase = ScalingSimulation.run(EC2.withBaseCapacity(4));
        // Four private workers drain 100 images of ~100 ms in about 2.5 s, far sooner than a 30 s boot.
        assertTrue(withBase.makespanMillis() < 30_000, "makespan " + withBase.makespanMillis());
        assertTrue(withBase.averageLatencyMillis() < ScalingSimulation.run(EC2).averageLatencyMillis());
    }

    @Test
    void everyRunRespectsTheMaximumAnswersEverythingAndEndsWithNoWorkerLive() {
        for (SimulationScenario scenario : ScalingSimulation.standardScenarios(3, 100, 100)) {
            SimulationResult result = ScalingSimulation.run(scenario);
            assertTrue(result.peakInstances() <= scenario.maxWorkers(), scenario.name() + " peak " + result.peakInstances());
            assertTrue(result.timeToZeroMillis() >= 0, scenario.name() + " never got back to zero");
            assertTrue(result.p99LatencyMillis() >= result.averageLatencyMillis(), scenario.name());
            assertTrue(result.makespanMillis() >= 100 * scenario.serviceMillis() * 0.7
                    / (scenario.maxWorkers() + scenario.baseCapacity()), scenario.name() + " finished impossibly fast");
            if (scenario.baseCapacity() == 0) {
                assertEquals(0, result.decisionDelayMillis(), scenario.name() + ": the arrival itself triggers the decision");
            } else {
                // Base workers serve at once; slow starts wait for their service rate, at most 0.5 s, or are not needed.
                assertTrue(result.decisionDelayMillis() < 1_000, scenario.name() + " decided after " + result.decisionDelayMillis());
            }
        }
    }

    @Test
    void withBaseCapacityNoElasticWorkerOutlivesTheLastReplyByMoreThanTwoSeconds() {
        for (long seed : new long[] {42, 3, 7}) {
            for (long serviceMillis : new long[] {100, 300}) {
                for (SimulationScenario scenario : ScalingSimulation.standardScenarios(seed, 100, serviceMillis)) {
                    if (scenario.baseCapacity() == 0) {
                        continue;
                    }
                    SimulationResult result = ScalingSimulation.run(scenario);
                    assertTrue(result.timeToZeroMillis() >= 0 && result.timeToZeroMillis() <= 2_000,
                            scenario.name() + " seed " + seed + " service " + serviceMillis + " ms: to zero "
                                    + result.timeToZeroMillis() + " ms");
                }
            }
        }
    }

    @Test
    void baseCapacityThatDrainsTheBurstAloneStartsNoInstanceAndLosesNoLatency() {
        SimulationResult baseOnly = ScalingSimulation.run(EC2.withBaseCapacity(4));
        SimulationResult withPool = ScalingSimulation.run(EC2.withWarmPool(10).withBaseCapacity(4));
        assertEquals(0, withPool.peakInstances(), "an 8 s resume cannot help a burst four workers finish in ~2.5 s");
        assertEquals(0, withPool.timeToZeroMillis());
        assertEquals(baseOnly.makespanMillis(), withPool.makespanMillis());
    }

    @Test
    void aBurstTheBaseCapacityCannotDrainStillWakesThePoolWithinOneSecond() {
        // 400 images of ~1 s on four base workers take ~100 s; resumed instances (8-15 s) help.
        SimulationScenario heavy = SimulationScenario.ec2("heavy", 42, 400, 1_000).withWarmPool(10).withBaseCapacity(4);
        SimulationResult result = ScalingSimulation.run(heavy);
        assertEquals(20, result.peakInstances());
        assertTrue(result.decisionDelayMillis() >= 0 && result.decisionDelayMillis() < 1_000, "decision " + result.decisionDelayMillis());
        assertTrue(result.makespanMillis() < 60_000, "makespan " + result.makespanMillis());
    }

    @Test
    void aWorkerParkedWhileStartingIsLiveUntilItHasBeenStoppedOnceUp() {
        // One image the base worker answers in 100 ms; the pool worker it woke takes 5 s to resume and
        // is parked while still starting (cooldown ends at 1.25 s). It must then be stopped like any
        // other worker: 300 ms after it comes up, not the moment it does.
        SimulationScenario scenario = new SimulationScenario("parked while starting", 1, 1, 0, 100, 0, 0,
                5_000, 5_000, 5_000, 5_000, 0, 0, 300, 1, 1, 1, 1, 250, 1_000, true, false);
        SimulationResult result = ScalingSimulation.run(scenario);
        assertEquals(1, result.peakInstances());
        assertEquals(100, result.makespanMillis());
        assertEquals(5_000 + 300 - 100, result.timeToZeroMillis());
    }

    @Test
    void coldStartDominatesWithoutWarmPoolOrBaseCapacity() {
        SimulationResult cold = ScalingSimulation.run(EC2);
        assertTrue(cold.averageLatencyMillis() >= EC2.coldStartMinMillis(), "average " + cold.averageLatencyMillis());
        assertTrue(cold.makespanMillis() <= EC2.coldStartMaxMillis() + 100 * 130, "makespan " + cold.makespanMillis());
        assertEquals(20, cold.peakInstances());
    }

    @Test
    void warmPoolAndBaseCapacityBringTheAverageUnderOnePointTwoSeconds() {
        SimulationResult ec2 = ScalingSimulation.run(EC2.withWarmPool(20).withBaseCapacity(8));
        SimulationResult local = ScalingSimulation.run(LOCAL.withWarmPool(10).withBaseCapacity(2));
        assertTrue(ec2.averageLatencyMillis() < 1_200, "ec2 average " + ec2.averageLatencyMillis());
        assertTrue(local.averageLatencyMillis() < 1_200, "local average " + local.averageLatencyMillis());
    }
}
