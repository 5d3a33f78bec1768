package dev.hybrid.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogitComparisonTest {
    private static float[] logits(int n, double scale) {
        Random random = new Random(546);
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (random.nextGaussian() * scale);
        }
        return logits;
    }

    @Test
    void summationOrderNoiseAgrees() {
        float[] reference = logits(1000, 8);
        float[] served = reference.clone();
        for (int i = 0; i < served.length; i++) {
            served[i] = Math.nextUp(Math.nextUp(served[i])) + (i % 2 == 0 ? 3e-6f : -3e-6f);
        }
        EngineVerdict verdict = LogitComparison.compare(served, reference);
        assertEquals(EngineVerdict.Kind.AGREES, verdict.kind(), verdict.detail());
    }

    @Test
    void oneWrongLogitDiffers() {
        float[] reference = logits(1000, 8);
        float[] served = reference.clone();
        served[717] += 0.5f;
        EngineVerdict verdict = LogitComparison.compare(served, reference);
        assertTrue(verdict.differs(), verdict.detail());
        assertEquals(0.5, verdict.maxDifference(), 1e-5);
        assertTrue(verdict.detail().contains("logit 717"), verdict.detail());
    }

    @Test
    void theToleranceScalesWithTheLargestLogit() {
        float[] small = {0.1f, -0.2f, 0.3f};
        float[] large = {100f, -200f, 300f};
        assertEquals(1e-3, LogitComparison.compare(small, small).tolerance(), 1e-12);
        assertEquals(0.3, LogitComparison.compare(large, large).tolerance(), 1e-9);
        float[] largeOff = {100.2f, -200f, 300f};
        assertFalse(LogitComparison.compare(largeOff, large).differs(), "0.2 on logits of 300 is rounding");
        float[] smallOff = {0.1f, -0.2f, 0.5f};
        assertTrue(LogitComparison.compare(smallOff, small).differs(), "0.2 on logits below 1 is not");
    }

    @Test
    void notANumberAndDifferentLengthsDiffer() {
        float[] reference = logits(10, 1);
        float[] nan = reference.clone();
        nan[3] = Float.NaN;
        assertTrue(LogitComparison.compare(nan, reference).differs());
        assertTrue(LogitComparison.compare(logits(9, 1), reference).differs());
    }
}
