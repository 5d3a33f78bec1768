package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServiceRateTest {

    @Test
    void nothingIsKnownUntilAboutOneMessagePerReadyWorkerHasFinished() {
        ServiceRate rate = new ServiceRate();
        rate.observe(0, 100, 4);
        assertTrue(rate.perWorkerPerMilli().isEmpty());
        rate.observe(250, 97, 4);
        assertTrue(rate.perWorkerPerMilli().isEmpty(), "3 finished, 4 workers ready");
        rate.observe(500, 80, 4);
        assertTrue(rate.perWorkerPerMilli().isPresent());
    }

    @Test
    void fourWorkersDrainingFortyMessagesASecondMeasureAboutTenEach() {
        ServiceRate rate = new ServiceRate();
        for (int at = 0; at <= 2_000; at += 250) {
            rate.observe(at, 100 - at * 40 / 1_000, 4);
        }
        double perSecond = rate.perWorkerPerMilli().orElseThrow() * 1_000;
        assertTrue(perSecond >= 10 && perSecond < 11, "measured " + perSecond);
    }

    @Test
    void idleWorkersAndArrivalsDoNotCountAsServiceTime() {
        ServiceRate rate = new ServiceRate();
        rate.observe(0, 2, 4);
        rate.observe(10_000, 0, 4);
        assertTrue(rate.perWorkerPerMilli().isEmpty(), "demand below the ready workers says nothing about their speed");
        rate.observe(11_000, 50, 4);
        rate.observe(12_000, 60, 4);
        assertTrue(rate.perWorkerPerMilli().isEmpty(), "a rise in demand is arrivals, not completions");
        rate.observe(13_000, 20, 4);
        assertEquals((40 + 2) / 8_000.0, rate.perWorkerPerMilli().orElseThrow(), 1e-9);
    }
}
