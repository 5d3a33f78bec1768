package dev.hybrid.cli.engine;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way a resource waits for a cloud, after Terraform's {@code StateChangeConf}: a refresh function reports the
 * thing's state, which must be one of the pending states until it is one of the target states. Any other state fails
 * at once; a timeout fails with the last state seen; a thing not found is looked for again a few times, since clouds
 * list what they just made a moment late. With no target state the wait is for the thing to be gone.
 *
 * <p>Every wait shows what it waits for on a progress line, with the state beside it. Time comes from a {@link Clock},
 * so tests wait in virtual time; {@link #SYSTEM} is the only code of the engine and the resources that sleeps.
 */
public final class Waiter {
    /** Time as a waiter sees it; a test passes one whose {@code sleep} only moves its hands. */
    public interface Clock {
        long nanoTime();

        void sleep(Duration pause) throws InterruptedException;
    }

    /** Real time. */
    public static final Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration pause) throws InterruptedException {
            Thread.sleep(pause.toMillis());
        }
    };

    /** Terraform's default: a thing a cloud has just made may be missing from its answers this many times in a row. */
    public static final int NOT_FOUND_CHECKS = 20;

    /** What one refresh saw: the thing and its state, or nothing when the cloud does not know it (now). */
    public record Observation<T>(T value, String state) {
        public static <T> Observation<T> of(T value, String state) {
            return new Observation<>(Objects.requireNonNull(value), String.valueOf(state));
        }

        public static <T> Observation<T> notFound() {
            return new Observation<>(null, null);
        }

        public boolean found() {
            return state != null;
        }
    }

    /** A wait that ended without reaching a target state; the message says why and names the last state seen. */
    public static final class WaitFailed extends IllegalStateException {
        private final String lastState;

        WaitFailed(String message, String lastState) {
            super(message);
            this.lastState = lastState;
        }

        /** The state of the last refresh, or null when the thing was never found. */
        public String lastState() {
            return lastState;
        }
    }

    private final Clock clock;
    private final ProgressBars bars;

    public Waiter(Clock clock, ProgressBars bars) {
        this.clock = clock;
        this.bars = bars;
    }

    /** A waiter in real time that shows its waits on {@code bars}. */
    public static Waiter system(ProgressBars bars) {
        return new Waiter(SYSTEM, bars);
    }

    public Clock clock() {
        return clock;
    }

    /** Starts describing a wait; {@code task} names it on the progress line and in its errors. */
    public <T> Conf<T> until(String task, Supplier<Observation<T>> refresh) {
        return new Conf<>(task, refresh);
    }

    /** One wait being described; {@link #await()} runs it. */
    public final class Conf<T> {
        private final String task;
        private final Supplier<Observation<T>> refresh;
        private final Set<String> pending = new LinkedHashSet<>();
        private final Set<String> target = new LinkedHashSet<>();
        private Duration timeout = Duration.ofMinutes(5);
        private Duration interval = Duration.ofSeconds(1);
        private Duration maxInterval = interval;
        private int notFoundChecks = NOT_FOUND_CHECKS;
        private Function<Observation<T>, String> note = Observation::state;
        private Function<T, OptionalLong> percent;
        private Function<Observation<T>, String> unexpected;
        private Function<Observation<T>, String> timedOut;

        private Conf(String task, Supplier<Observation<T>> refresh) {
            this.task = task;
            this.refresh = refresh;
        }

        public Conf<T> pending(String... states) {
            pending.addAll(List.of(states));
            return this;
        }

        public Conf<T> target(String... states) {
            target.addAll(List.of(states));
            return this;
        }

        public Conf<T> timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Polls at a fixed interval. */
        public Conf<T> pollEvery(Duration interval) {
            return backoff(interval, interval);
        }

        /** Polls first after {@code first}, then doubles the pause up to {@code cap}. */
        public Conf<T> backoff(Duration first, Duration cap) {
            if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
                throw new IllegalArgumentException("a poll interval is positive and its cap no shorter: " + first + ", " + cap);
            }
            this.interval = first;
            this.maxInterval = cap;
            return this;
        }

        /** How many refreshes in a row may find nothing before the wait fails; 0 fails at the first. */
        public Conf<T> notFoundChecks(int checks) {
            this.notFoundChecks = checks;
            return this;
        }

        /** What is shown beside the progress line for each refresh; the state unless told. */
        public Conf<T> noting(Function<Observation<T>, String> note) {
            this.note = note;
            return this;
        }

        /** Makes the progress line count to 100 %, stepping to what each refresh tells, when it tells. */
        public Conf<T> inPercent(Function<T, OptionalLong> percent) {
            this.percent = percent;
            return this;
        }

        /** The error message for a state that is neither pending nor a target. */
        public Conf<T> onUnexpected(Function<Observation<T>, String> message) {
            this.unexpected = message;
            return this;
        }

        /** The error message after the timeout, from the last refresh (which may have found nothing). */
        public Conf<T> onTimeout(Function<Observation<T>, String> message) {
            this.timedOut = message;
            return this;
        }

        /**
         * Refreshes until the state is a target and returns the thing as last seen, or null when the wait was for it
         * to be gone.
         *
         * @throws WaitFailed on an unexpected state, after too many refreshes that found nothing, or after the timeout
         * @throws IllegalStateException when the thread is interrupted
         */
        public T await() {
            long deadline = clock.nanoTime() + timeout.toNanos();
            Duration pause = interval;
            int missing = 0;
            Observation<T> last = Observation.notFound();
            try (ProgressBars.Bar bar = percent == null ? bars.start(task, -1, "") : bars.start(task, 100, "%")) {
                while (true) {
                    Observation<T> seen = refresh.get();
                    last = seen;
                    if (!seen.found()) {
                        if (target.isEmpty()) {
                            return null;
                        }
                        bar.note("not found");
                        if (++missing > notFoundChecks) {
                            throw new WaitFailed(task + ": not found (" + missing + " times in a row)", null);
                        }
                    } else {
                        missing = 0;
                        bar.note(note.apply(seen));
                        if (percent != null) {
                            percent.apply(seen.value()).ifPresent(bar::stepTo);
                        }
                        if (target.contains(seen.state())) {
                            return seen.value();
                        }
                        if (!pending.contains(seen.state())) {
                            throw new WaitFailed(unexpected != null ? unexpected.apply(seen)
                                    : task + ": unexpected state " + seen.state() + " (waiting for " + describeTarget() + ")", seen.state());
                        }
                    }
                    long left = deadline - clock.nanoTime();
                    if (left <= 0) {
                        throw new WaitFailed(timedOut != null ? timedOut.apply(last) : task + ": still " + (last.found() ? last.state()
                                : "not found") + " after " + timeout.toSeconds() + " s (waiting for " + describeTarget() + ")", last.state());
                    }
                    Duration nap = pause.compareTo(Duration.ofNanos(left)) > 0 ? Duration.ofNanos(left) : pause;
                    try {
                        clock.sleep(nap);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting: " + task, e);
                    }
                    Duration doubled = pause.multipliedBy(2);
                    pause = doubled.compareTo(maxInterval) > 0 ? maxInterval : doubled;
                }
            }
        }

        private String describeTarget() {
            return target.isEmpty() ? "it to be gone" : String.join(" or ", target);
        }
    }
}
