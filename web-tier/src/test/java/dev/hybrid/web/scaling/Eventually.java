package dev.hybrid.web.scaling;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;

/** Waits for a condition that another thread or process brings about; fails with a message if it never holds. */
final class Eventually {
    private Eventually() {
    }

    static void await(Duration limit, BooleanSupplier condition, String description) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Assertions.fail("not within " + limit + ": " + description);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Assertions.fail("interrupted while waiting for: " + description);
            }
        }
    }
}
