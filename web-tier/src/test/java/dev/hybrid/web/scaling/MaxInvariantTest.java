package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class MaxInvariantTest {
    private static final int MAX = 20;
    private static final int THREADS = 32;
    private static final int TRIGGERS_PER_THREAD = 1000;

    @Test
    void concurrentTriggersNeverTakeTheFleetAboveTheMaximum() throws Exception {
        RecordingProvider provider = new RecordingProvider(0, 0);
        ScalingController controller = new ScalingController(new ScalingPolicy(1, 0, MAX, 0),
                () -> ThreadLocalRandom.current().nextInt(0, 200),
                () -> new Backlog(ThreadLocalRandom.current().nextInt(0, 50), ThreadLocalRandom.current().nextInt(0, 50)),
                provider, Duration.ZERO, System::currentTimeMillis);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (AutoScaler autoScaler = new AutoScaler(controller, provider, Duration.ofMillis(5)).start()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> hammers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                hammers.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < TRIGGERS_PER_THREAD; i++) {
                        if (i % 2 == 0) {
                            autoScaler.onArrival();
                        } else {
                            controller.reconcile();
                        }
                        if (i % 7 == 0) {
                            provider.completeStarts();
                        }
                        if (i % 5 == 0) {
                            provider.workerExits();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> hammer : hammers) {
                hammer.get();
            }
            assertTrue(provider.counts().live() <= MAX, "live now: " + provider.counts());
        } finally {
            threads.shutdownNow();
        }
        assertEquals(MAX, provider.maxLiveSeen(), "the triggers must drive the fleet to the maximum and no further");
        assertTrue(provider.launches() > MAX, "workers exited and were replaced, so the test crossed the limit many times");
    }
}
