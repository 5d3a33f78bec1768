package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AutoScalerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void anArrivalTriggersADecisionWithoutBlockingTheCallerOrWaitingForTheLoop() throws Exception {
        RecordingProvider provider = new RecordingProvider(0, 0);
        CountDownLatch queueReadable = new CountDownLatch(1);
        BacklogSource slowQueue = () -> {
            try {
                queueReadable.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Backlog.EMPTY;
        };
        ScalingController controller = new ScalingController(ScalingPolicy.defaults(), () -> 3, slowQueue,
                provider, Duration.ofSeconds(1), System::currentTimeMillis);
        // Not started: no loop runs, so only the arrival can cause a launch.
        try (AutoScaler autoScaler = new AutoScaler(controller, provider, Duration.ofSeconds(1))) {
            autoScaler.onArrival();
            assertEquals(0, provider.counts().serving(), "the decision waits for the queue, the caller did not");
            queueReadable.countDown();
            Eventually.await(WAIT, () -> provider.counts().serving() == 3, "three workers launched after one arrival");
            assertEquals(3, autoScaler.snapshot().desired());
            assertEquals(3, autoScaler.snapshot().starting());
        }
    }

    @Test
    void theLoopSurvivesAFailedQueueRead() {
        RecordingProvider provider = new RecordingProvider(0, 0);
        AtomicInteger reads = new AtomicInteger();
        BacklogSource flakyQueue = () -> {
            if (reads.incrementAndGet() == 1) {
                throw new IllegalStateException("queue unreachable");
            }
            return new Backlog(2, 0);
        };
        ScalingController controller = new ScalingController(ScalingPolicy.defaults(), () -> 0, flakyQueue,
                provider, Duration.ofSeconds(1), System::currentTimeMillis);
        try (AutoScaler autoScaler = new AutoScaler(controller, provider, Duration.ofMillis(20)).start()) {
            Eventually.await(WAIT, () -> provider.counts().serving() == 2, "the next tick after the failure scales out");
        }
    }

    @Test
    void theTickMustNotExceedOneSecond() {
        RecordingProvider provider = new RecordingProvider(0, 0);
        ScalingController controller = new ScalingController(ScalingPolicy.defaults(), () -> 0, () -> Backlog.EMPTY,
                provider, Duration.ofSeconds(1), System::currentTimeMillis);
        assertThrows(IllegalArgumentException.class, () -> new AutoScaler(controller, provider, Duration.ofSeconds(2)));
    }
}
