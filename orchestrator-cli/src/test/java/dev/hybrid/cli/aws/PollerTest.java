package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.engine.ProgressBars;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The one wait loop of the image bake and export: verdicts, the timeout counted in polls, and what the bar is told. */
class PollerTest {
    private static final Duration INTERVAL = Duration.ofSeconds(15);

    private final List<Duration> pauses = new ArrayList<>();
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
    private final Poller poller = new Poller(pauses::add, INTERVAL, recordingBars);

    private static Poller.Verdict doneWhenStopped(String state) {
        return switch (state) {
            case "stopped" -> Poller.Verdict.DONE;
            case "terminated" -> Poller.Verdict.fail("the builder was terminated");
            default -> Poller.Verdict.KEEP_WAITING;
        };
    }

    @Test
    void aDoneVerdictReturnsThatStateAfterPausingBetweenPolls() {
        Deque<String> states = new ArrayDeque<>(List.of("pending", "running", "stopped"));

        String last = poller.watch("baking", states::pop).until(PollerTest::doneWhenStopped, Duration.ofMinutes(30), state -> "timed out");

        assertEquals("stopped", last);
        assertEquals(List.of(INTERVAL, INTERVAL), pauses, "a pause between polls, none after the last");
        assertEquals(List.of("start baking -1", "note pending", "note running", "note stopped", "close"), barEvents);
    }

    @Test
    void aFailVerdictThrowsItsMessageWithoutPausing() {
        Deque<String> states = new ArrayDeque<>(List.of("terminated"));

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> poller.watch("baking", states::pop).until(PollerTest::doneWhenStopped, Duration.ofMinutes(30), state -> "timed out"));

        assertEquals("the builder was terminated", failure.getMessage());
        assertEquals(List.of(), pauses);
        assertEquals("close", barEvents.get(barEvents.size() - 1), "the bar is closed on failure too");
    }

    @Test
    void theTimeoutIsCountedInPollsAndItsMessageSeesTheLastState() {
        List<String> polled = new ArrayList<>();

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> poller.watch("baking", () -> {
                    polled.add("running");
                    return "running #" + polled.size();
                }).until(PollerTest::doneWhenStopped, Duration.ofMinutes(1), state -> "still " + state));

        assertEquals(5, polled.size(), "one minute at 15 s: the first poll and one after each of four pauses");
        assertEquals(4, pauses.size());
        assertEquals("still running #5", failure.getMessage());
    }

    @Test
    void aPercentWaitCountsToHundredAndStepsOnlyWhenTheStateTells() {
        Deque<String> states = new ArrayDeque<>(List.of("40", "active", "stopped"));

        poller.watch("exporting", states::pop)
                .noting(state -> "status " + state)
                .inPercent(state -> state.matches("\\d+") ? OptionalLong.of(Long.parseLong(state)) : OptionalLong.empty())
                .until(PollerTest::doneWhenStopped, Duration.ofMinutes(30), state -> "timed out");

        assertEquals(List.of("start exporting 100%", "note status 40", "step 40", "note status active", "note status stopped", "close"),
                barEvents);
    }

    @Test
    void anInterruptedPauseEndsTheWaitAndKeepsTheInterruptFlag() {
        Poller interrupted = new Poller(pause -> {
            throw new InterruptedException();
        }, INTERVAL, ProgressBars.NONE);

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> interrupted.watch("baking", () -> "running").until(PollerTest::doneWhenStopped, Duration.ofMinutes(30), state -> "timed out"));

        assertEquals("interrupted while waiting: baking", failure.getMessage());
        assertTrue(Thread.interrupted(), "the flag is set again (and cleared here for the next test)");
    }
}
