package dev.hybrid.cli.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class WaiterTest {
    private static final Duration POLL = Duration.ofSeconds(15);

    private final List<Duration> pauses = new ArrayList<>();
    private final VirtualClock clock = new VirtualClock(pauses::add);
    private final List<String> barEvents = new ArrayList<>();
    private final ProgressBars recordingBars = (task, total, unit) -> {
        barEvents.add("start " + task + " " + total + unit);
        return new ProgressBars.Bar() {
            @Override
            public void stepTo(long done) {
                barEvents.add("step " + done);
            }

            @Override
            public void note(String text) {
                barEvents.add("note " + text);
            }

            @Override
            public void close() {
                barEvents.add("close");
            }
        };
    };
    private final Waiter waiter = new Waiter(clock, recordingBars);

    /** Hands out the given states one per refresh, each with itself as the thing; null stands for not found. */
    private static Supplier<Waiter.Observation<String>> states(String... states) {
        Deque<String> left = new ArrayDeque<>();
        for (String state : states) {
            left.add(state == null ? "\0" : state);
        }
        return () -> {
            String state = left.size() > 1 ? left.pop() : left.peek();
            return "\0".equals(state) ? Waiter.Observation.notFound() : Waiter.Observation.of(state, state);
        };
    }

    private Waiter.Conf<String> builder(Supplier<Waiter.Observation<String>> refresh) {
        return waiter.until("baking", refresh).pending("pending", "running").target("stopped").pollEvery(POLL).timeout(Duration.ofMinutes(30));
    }

    @Test
    void aTargetStateEndsTheWaitWithTheThingAsLastSeenAfterOnePausePerPendingState() {
        String last = builder(states("pending", "running", "stopped")).await();

        assertEquals("stopped", last);
        assertEquals(List.of(POLL, POLL), pauses, "a pause between refreshes, none after the last");
        assertEquals(List.of("start baking -1", "note pending", "note running", "note stopped", "close"), barEvents);
    }

    @Test
    void theTimeoutFailsNamingTheLastStateAfterExactlyTheTimeoutOfVirtualTime() {
        List<String> refreshed = new ArrayList<>();

        Waiter.WaitFailed e = assertThrows(Waiter.WaitFailed.class, () -> waiter.until("baking", () -> {
                    refreshed.add("running");
                    return Waiter.Observation.of("i-1", "running");
                }).pending("pending", "running").target("stopped").pollEvery(POLL).timeout(Duration.ofMinutes(1)).await());

        assertEquals("running", e.lastState());
        assertTrue(e.getMessage().contains("still running after 60 s"), e.getMessage());
        assertEquals(5, refreshed.size(), "one minute at 15 s: the first refresh and one after each of four pauses");
        assertEquals(Duration.ofMinutes(1), clock.elapsed());
        assertEquals("close", barEvents.get(barEvents.size() - 1), "the progress line is closed on failure too");
    }

    @Test
    void aTimeoutMessageIsBuiltFromTheLastRefresh() {
        Waiter.WaitFailed e = assertThrows(Waiter.WaitFailed.class, () -> builder(states("pending"))
                .timeout(Duration.ofSeconds(20)).onTimeout(seen -> "builder still " + seen.state()).await());

        assertEquals("builder still pending", e.getMessage());
    }

    @Test
    void aStateThatIsNeitherPendingNorATargetFailsAtOnce() {
        Waiter.WaitFailed e = assertThrows(Waiter.WaitFailed.class, () -> builder(states("pending", "terminated", "stopped"))
                .onUnexpected(seen -> "the builder was " + seen.state()).await());

        assertEquals("the builder was terminated", e.getMessage());
        assertEquals("terminated", e.lastState());
        assertEquals(List.of(POLL), pauses, "no waiting after the unexpected state");
    }

    @Test
    void anUnexpectedStateWithoutItsOwnMessageSaysWhatWasAwaited() {
        Waiter.WaitFailed e = assertThrows(Waiter.WaitFailed.class, () -> builder(states("ERROR")).await());

        assertEquals("baking: unexpected state ERROR (waiting for stopped)", e.getMessage());
    }

    @Test
    void aThingNotFoundIsLookedForAgainAsOftenAsTolerated() {
        assertEquals("stopped", builder(states(null, null, "stopped")).notFoundChecks(2).await());
        assertEquals(List.of(POLL, POLL), pauses);

        Waiter.WaitFailed e = assertThrows(Waiter.WaitFailed.class, () -> builder(states(null, null, "stopped")).notFoundChecks(1).await());

        assertTrue(e.getMessage().contains("not found (2 times in a row)"), e.getMessage());
        assertNull(e.lastState());
    }

    @Test
    void withNoTargetTheWaitIsForTheThingToBeGone() {
        Object gone = waiter.until("deleting", states("ACTIVE", "ACTIVE", null)).pending("ACTIVE").pollEvery(POLL).await();

        assertNull(gone);
        assertEquals(List.of(POLL, POLL), pauses);
    }

    @Test
    void aBackoffDoublesThePauseUpToItsCapAndTheLastPauseEndsAtTheTimeout() {
        assertThrows(Waiter.WaitFailed.class, () -> builder(states("pending"))
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(4)).timeout(Duration.ofSeconds(13)).await());

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(2)),
                pauses);
    }

    @Test
    void aWaitInPercentStepsTheBarToWhatTheThingTells() {
        waiter.until("exporting", states("10", "55", "100")).pending("10", "55").target("100").pollEvery(POLL)
                .inPercent(state -> OptionalLong.of(Long.parseLong(state))).await();

        assertEquals(List.of("start exporting 100%", "note 10", "step 10", "note 55", "step 55", "note 100", "step 100", "close"), barEvents);
    }

    @Test
    void anInterruptionEndsTheWaitAndKeepsTheFlag() {
        Waiter interrupted = new Waiter(new Waiter.Clock() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public void sleep(Duration pause) throws InterruptedException {
                throw new InterruptedException();
            }
        }, ProgressBars.NONE);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> interrupted.until("baking", states("pending")).pending("pending").target("stopped").await());

        assertTrue(e.getMessage().contains("interrupted while waiting: baking"), e.getMessage());
        assertTrue(Thread.interrupted(), "the interrupt flag is set again (and cleared here)");
    }
}
