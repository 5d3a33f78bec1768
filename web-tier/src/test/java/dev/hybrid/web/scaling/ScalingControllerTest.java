package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScalingControllerTest {
    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger pendingHttp = new AtomicInteger();
    private final AtomicInteger visible = new AtomicInteger();

    private ScalingController controller(RecordingProvider provider, int max) {
        return controller(provider, max, 0);
    }

    private ScalingController controller(RecordingProvider provider, int max, int baseCapacity) {
        return new ScalingController(new ScalingPolicy(1, 0, max, baseCapacity), pendingHttp::get,
                () -> new Backlog(visible.get(), 0), provider, Duration.ofSeconds(1), clock::get);
    }

    @Test
    void pendingStartsCountSoRepeatedDecisionsDoNotOverLaunch() {
        RecordingProvider provider = new RecordingProvider(0, 0);
        ScalingController controller = controller(provider, 20);
        pendingHttp.set(5);

        assertEquals(5, controller.reconcile().activated());
        assertEquals(0, controller.reconcile().activated());
        assertEquals(5, provider.counts().starting());
        assertEquals(5, provider.launches());
    }

    @Test
    void neverLaunchesBeyondTheMaximum() {
        RecordingProvider provider = new RecordingProvider(0, 0);
        ScalingController controller = controller(provider, 20);
        visible.set(500);

        Decision first = controller.reconcile();
        assertEquals(20, first.desired());
        assertEquals(20, first.activated());
        provider.completeStarts();
        assertEquals(0, controller.reconcile().activated());
        assertEquals(20, provider.maxLiveSeen());
    }

    @Test
    void scalesInToZeroOnlyAfterTheCooldown() {
        RecordingProvider provider = new RecordingProvider(0, 0);
        ScalingController controller = controller(provider, 20);
        pendingHttp.set(6);
        controller.reconcile();
        provider.completeStarts();

        pendingHttp.set(0);
        clock.set(10_000);
        assertEquals(0, controller.reconcile().deactivated());
        clock.set(10_999);
        assertEquals(0, controller.reconcile().deactivated());
        assertEquals(6, provider.counts().serving());
        clock.set(11_000);
        assertEquals(6, controller.reconcile().deactivated());
        assertEquals(0, provider.counts().serving());
        assertEquals(0, controller.snapshot().desired());
    }

    @Test
    void demandReturningDuringTheCooldownRestartsIt() {
        RecordingProvider provider = new RecordingProvider(0, 0);
        ScalingController controller = controller(provider, 20);
        pendingHttp.set(4);
        controller.reconcile();
        provider.completeStarts();

        pendingHttp.set(0);
        clock.set(1_000);
        controller.reconcile();
        pendingHttp.set(4);
        clock.set(1_500);
        controller.reconcile();
        pendingHttp.set(0);
        clock.set(2_100);
        assertEquals(0, controller.reconcile().deactivated(), "the lull before 2_100 was interrupted");
        clock.set(3_100);
        assertEquals(4, controller.reconcile().deactivated());
    }

    @Test
    void parkedWorkersAreResumedBeforeNewOnesAreLaunched() {
        RecordingProvider provider = new RecordingProvider(3, 3);
        ScalingController controller = controller(provider, 20);
        pendingHttp.set(5);

        assertEquals(5, controller.reconcile().activated());
        assertEquals(3, provider.resumes());
        assertEquals(2, provider.launches());
        assertEquals(new FleetCounts(2, 3, 0, 0, 0), provider.counts());
    }

    @Test
    void anyDemandWakesTheWholeWarmPool() {
        RecordingProvider provider = new RecordingProvider(4, 4);
        ScalingController controller = controller(provider, 20);
        pendingHttp.set(1);

        Decision decision = controller.reconcile();
        assertEquals(4, decision.desired());
        assertEquals(4, provider.resumes());
        assertEquals(0, provider.launches());
    }

    @Test
    void surplusTheWarmPoolCanTakeKeepsServingUntilDemandEndsThenIsParked() {
        RecordingProvider provider = new RecordingProvider(5, 0);
        ScalingController controller = controller(provider, 20);
        pendingHttp.set(8);
        controller.reconcile();
        provider.completeStarts();

        pendingHttp.set(2);
        controller.reconcile();
        clock.set(1_000);
        assertEquals(1, controller.reconcile().deactivated(), "8 serving, 2 needed, 5 kept for the pool");
        assertEquals(7, provider.counts().serving());

        pendingHttp.set(0);
        clock.set(2_000);
        assertEquals(7, controller.reconcile().deactivated());
        assertEquals(5, provider.counts().warm());
        assertEquals(List.of("activate 8 (resumed 0)", "deactivate 1 stop", "deactivate 7 park"), provider.operations());
    }

    @Test
    void aBurstTheBaseCapacityDrainsBeforeAnyInstanceCouldStartWakesNothingSoNothingOutlivesIt() {
        RecordingProvider provider = new RecordingProvider(10, 10).likeEc2();
        ScalingController controller = controller(provider, 20, 4);
        pendingHttp.set(100);
        // The four base workers finish 10 messages a second each: 100 messages take 2.5 s, an 8 s resume is no help.
        for (long at = 0; at <= 2_500; at += 250) {
            clock.set(at);
            pendingHttp.set((int) (100 - at * 40 / 1_000));
            Decision decision = controller.reconcile();
            assertEquals(0, decision.activated(), "at " + at + " ms with demand " + decision.demand().total());
        }
        assertEquals(0, pendingHttp.get());
        assertEquals(0, provider.maxLiveSeen(), "no instance was started, so none is left running after the last reply");
        assertEquals(0, provider.resumes());
        assertEquals(10, provider.counts().warm());
    }

    @Test
    void withNothingMeasuredYetSlowStartsWaitHalfASecondAtMost() {
        RecordingProvider provider = new RecordingProvider(10, 10).likeEc2();
        ScalingController controller = controller(provider, 20, 4);
        pendingHttp.set(100);
        assertEquals(0, controller.reconcile().activated());
        clock.set(ScalingController.MEASURE_FIRST_MILLIS - 1);
        assertEquals(0, controller.reconcile().activated(), "no message has finished yet: nothing to project from");
        clock.set(ScalingController.MEASURE_FIRST_MILLIS);
        assertEquals(20, controller.reconcile().activated(), "still nothing measured: start what the policy asks for");
        assertEquals(10, provider.resumes());
        assertEquals(10, provider.launches());
    }

    @Test
    void aBacklogTheBaseCapacityCannotDrainBeforeAResumeWakesOnlyWhatWillStillFindWork() {
        RecordingProvider provider = new RecordingProvider(10, 10).likeEc2();
        ScalingController controller = controller(provider, 20, 2);
        pendingHttp.set(200);
        controller.reconcile();
        clock.set(500);
        pendingHttp.set(190);
        // Two base workers at about 10 messages a second leave work after an 8 s resume but none after a 30 s launch.
        Decision decision = controller.reconcile();
        assertEquals(10, decision.activated());
        assertEquals(10, provider.resumes());
        assertEquals(0, provider.launches());
    }

    @Test
    void noWorkerServingMeansEveryStartCanHelp() {
        RecordingProvider provider = new RecordingProvider(10, 10).likeEc2();
        ScalingController controller = controller(provider, 20);
        pendingHttp.set(100);
        assertEquals(20, controller.reconcile().activated());
    }

    @Test
    void stoppedInstancesHoldNoMessagesSoDemandTheBaseCapacityCoversWakesNoneOfThem() {
        RecordingProvider ec2 = new RecordingProvider(4, 4).likeEc2();
        pendingHttp.set(1);
        assertEquals(0, controller(ec2, 20, 2).reconcile().activated());

        RecordingProvider suspendedProcesses = new RecordingProvider(4, 4);
        assertEquals(4, controller(suspendedProcesses, 20, 2).reconcile().activated(),
                "a suspended worker may hold the message: the whole pool wakes");
    }
}
