package dev.hybrid.cli.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.local.LocalStack;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A repeated up --local with other flags than the running stack's is refused, naming each flag, not ignored. */
class LocalSettingsChangedTest {
    private static final LocalStack.WebOptions RUNNING = new LocalStack.WebOptions(null, 2, 0, 0, "label", null, null, null);

    @Test
    void changedFlagsAreNamedWithTheValueTheStackRunsWith() {
        LocalSettings asked = new LocalSettings(true, null, 4, null, 0, "name-label", null, null, null);
        assertEquals(List.of("--workers-max 4 (runs with 2)", "--reply name-label (runs with label)"), asked.changedFrom(RUNNING, 8080));
        assertEquals(List.of("--port 9000 (runs with 8080)"), LocalSettings.defaults().withPort(9000).changedFrom(RUNNING, 8080));
    }

    @Test
    void flagsLeftOutOrEqualToTheRunningOnesChangeNothing() {
        assertTrue(LocalSettings.defaults().changedFrom(RUNNING, 8080).isEmpty());
        assertTrue(new LocalSettings(true, 8080, 2, 0, 0, "label", null, null, null).changedFrom(RUNNING, 8080).isEmpty());
        assertTrue(new LocalSettings(true, null, 4, null, 0, null, null, null, null).changedFrom(null, 8080).isEmpty(),
                "a record of an older version has no settings to compare");
    }
}
