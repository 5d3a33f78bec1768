package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingPolicyTest {

    @ParameterizedTest(name = "visible={0} inFlight={1} pendingHttp={2} target={3} min={4} max={5} base={6} -> {7}")
    @CsvSource({
            // nothing to do
            "0, 0, 0, 1, 0, 20, 0, 0",
            // one worker per message by default
            "3, 0, 0, 1, 0, 20, 0, 3",
            "2, 3, 0, 1, 0, 20, 0, 5",
            // the per-worker target rounds up
            "10, 0, 0, 5, 0, 20, 0, 2",
            "11, 0, 0, 5, 0, 20, 0, 3",
            "1, 0, 0, 5, 0, 20, 0, 1",
            // pending HTTP requests count before SQS shows them
            "0, 0, 7, 1, 0, 20, 0, 7",
            "0, 0, 7, 2, 0, 20, 0, 4",
            // pending HTTP and the queue describe the same requests: the larger view wins, no double count
            "4, 2, 6, 1, 0, 20, 0, 6",
            "4, 2, 3, 1, 0, 20, 0, 6",
            // clamped to the maximum
            "500, 0, 0, 1, 0, 20, 0, 20",
            "0, 0, 100, 1, 0, 8, 0, 8",
            // clamped to the minimum
            "0, 0, 0, 1, 2, 20, 0, 2",
            // base capacity is subtracted, never below the minimum
            "10, 0, 0, 1, 0, 20, 4, 6",
            "3, 0, 0, 1, 0, 20, 4, 0",
            "3, 0, 0, 1, 1, 20, 4, 1",
            "100, 0, 0, 1, 0, 20, 4, 20",
            "20, 0, 0, 5, 0, 20, 2, 2",
    })
    void desiredWorkers(int visible, int inFlight, int pendingHttp, int target, int min, int max, int base, int expected) {
        ScalingPolicy policy = new ScalingPolicy(target, min, max, base);
        assertEquals(expected, policy.desiredWorkers(new Demand(visible, inFlight, pendingHttp)));
    }

    @Test
    void defaultsAreOneMessagePerWorkerUpToTwenty() {
        ScalingPolicy policy = ScalingPolicy.defaults();
        assertEquals(1, policy.perWorkerTarget());
        assertEquals(0, policy.minWorkers());
        assertEquals(20, policy.maxWorkers());
        assertEquals(0, policy.baseCapacity());
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new ScalingPolicy(0, 0, 20, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScalingPolicy(1, 5, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScalingPolicy(1, -1, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScalingPolicy(1, 0, 4, -1));
        assertThrows(IllegalArgumentException.class, () -> new Demand(-1, 0, 0));
    }
}
