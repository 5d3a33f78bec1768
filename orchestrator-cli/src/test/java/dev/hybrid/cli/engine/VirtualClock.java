package dev.hybrid.cli.engine;

import java.time.Duration;
import java.util.function.Consumer;

/** Time for a {@link Waiter} in a test: a sleep only moves the hands, and tells {@code onSleep} how far. */
public final class VirtualClock implements Waiter.Clock {
    private final Consumer<Duration> onSleep;
    private long nanos;

    public VirtualClock(Consumer<Duration> onSleep) {
        this.onSleep = onSleep;
    }

    public VirtualClock() {
        this(pause -> { });
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized void sleep(Duration pause) {
        nanos += pause.toNanos();
        onSleep.accept(pause);
    }

    public synchronized Duration elapsed() {
        return Duration.ofNanos(nanos);
    }
}
