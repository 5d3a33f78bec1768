package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.ProgressBars;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Waits for something AWS does slowly (a builder powering off, an image becoming available, an
 * export): polls its state at a fixed interval, shows each state beside a progress bar, and ends
 * when a verdict on the state says done or failed, or when the timeout has passed.
 *
 * <p>Hand-written rather than Failsafe's retry policy: Failsafe sleeps on its own, and tests need
 * the injected sleeper that only records.
 */
final class Poller {
    /** What one polled state means. */
    sealed interface Verdict {
        Verdict KEEP_WAITING = new KeepWaiting();
        Verdict DONE = new Done();

        static Verdict fail(String message) {
            return new Fail(message);
        }

        record KeepWaiting() implements Verdict {
        }

        record Done() implements Verdict {
        }

        record Fail(String message) implements Verdict {
        }
    }

    private final Backoff.Sleeper sleeper;
    private final Duration interval;
    private final ProgressBars bars;

    Poller(Backoff.Sleeper sleeper, Duration interval, ProgressBars bars) {
        this.sleeper = sleeper;
        this.interval = interval;
        this.bars = bars;
    }

    /** Starts describing a wait; {@code task} names it on the progress bar and in an interruption. */
    <S> Wait<S> watch(String task, Supplier<S> state) {
        return new Wait<>(task, state);
    }

    /** One wait being described; {@link #until} runs it. */
    final class Wait<S> {
        private final String task;
        private final Supplier<S> state;
        private Function<S, String> note = String::valueOf;
        private Function<S, OptionalLong> percent;

        private Wait(String task, Supplier<S> state) {
            this.task = task;
            this.state = state;
        }

        /** What is shown beside the bar for each state; the state itself unless told. */
        Wait<S> noting(Function<S, String> note) {
            this.note = note;
            return this;
        }

        /** Makes the bar count to 100 %, stepping to what each state tells, when it tells. */
        Wait<S> inPercent(Function<S, OptionalLong> percent) {
            this.percent = percent;
            return this;
        }

        /**
         * Polls until the verdict is done, and returns that last state.
         *
         * @param timedOut the error message after the timeout, from the last state seen
         * @throws IllegalStateException on a failed verdict, with its message, on the timeout, or on an interruption
         */
        S until(Function<S, Verdict> verdict, Duration timeout, Function<S, String> timedOut) {
            // Counted in polls, not read off a clock, so that a test's sleeper that does not sleep still ends the wait.
            long pausesLeft = timeout.dividedBy(interval);
            try (ProgressBars.Bar bar = percent == null ? bars.start(task, -1, "") : bars.start(task, 100, "%")) {
                while (true) {
                    S current = state.get();
                    bar.note(note.apply(current));
                    if (percent != null) {
                        percent.apply(current).ifPresent(bar::stepTo);
                    }
                    Verdict judged = verdict.apply(current);
                    if (judged instanceof Verdict.Done) {
                        return current;
                    }
                    if (judged instanceof Verdict.Fail failed) {
                        throw new IllegalStateException(failed.message());
                    }
                    if (pausesLeft-- <= 0) {
                        throw new IllegalStateException(timedOut.apply(current));
                    }
                    pause();
                }
            }
        }

        private void pause() {
            try {
                sleeper.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting: " + task, e);
            }
        }
    }
}
