package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServiceRateTest {
    private final AtomicLong clock = new AtomicLong();

    private static void replies(ServiceRate rate, int n) {
        for (int i = 0; i < n; i++) {
            rate.onReply();
        }
    }

    @Test
    void thePriorHoldsUntilASecondOfBusyWorkersHasBeenSeen() {
        ServiceRate rate = new ServiceRate(5, clock::get);
        rate.observe(2, true);
        clock.set(400);
        replies(rate, 40);
        rate.observe(2, true);
        assertEquals(5, rate.perWorkerPerSecond(), "0.8 worker-seconds is not yet a window");
    }

    @Test
    void busyWorkerTimeTurnsRepliesIntoARateBlendedWithWhatWasKnown() {
        ServiceRate rate = new ServiceRate(5, clock::get);
        rate.observe(2, true);
        clock.set(1000);
        replies(rate, 30); // 30 replies in 2 worker-seconds: 15 per worker per second
        rate.observe(2, true);
        assertEquals(10, rate.perWorkerPerSecond(), 1e-9, "half the prior, half the measurement");
    }

    @Test
    void timeWithoutEnoughWorkIsLeftOutSoIdleWorkersDoNotLookSlow() {
        ServiceRate rate = new ServiceRate(0, clock::get);
        rate.observe(4, false);
        clock.set(5000);
        replies(rate, 3);
        rate.observe(4, true);
        assertEquals(0, rate.perWorkerPerSecond(), "an idle stretch measures nothing");
        clock.set(5500);
        replies(rate, 20);
        rate.observe(4, true);
        assertEquals(10, rate.perWorkerPerSecond(), 1e-9, "20 replies in 2 busy worker-seconds, with no prior to blend");
    }

    @Test
    void aNegativePriorIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ServiceRate(-1, clock::get));
    }
}
