package dev.hybrid.cli.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.local.LocalStack;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A repeated up --local with other flags than the running stack's is refused, naming each flag, not ignored. */
class LocalSettingsChangedTest {
    private static final LocalStack.WebOptions RUNNING = new LocalStack.WebOptions(null, 2, 0, 0, "label", null, null, null, null);

    @Test
    void changedFlagsAreNamedWithTheValueTheStackRunsWith() {
        LocalSettings asked = new LocalSettings(true, null, 4, null, 0, "name-label", null, null, null, null);
        assertEquals(List.of("--workers-max 4 (runs with 2)", "--reply name-label (runs with label)"), asked.changedFrom(RUNNING, 8080));
        assertEquals(List.of("--port 9000 (runs with 8080)"), LocalSettings.defaults().withPort(9000).changedFrom(RUNNING, 8080));
        assertEquals(List.of("--memory-budget 4096 (runs with the default)"),
                new LocalSettings(true, null, null, null, 0, null, null, null, null, 4096L).changedFrom(RUNNING, 8080));
    }

    @Test
    void aMemoryBudgetUnderTheWorkersMinimumIsRefusedInOneLine() {
        var flag = org.junit.jupiter.api.Assertions.assertThrows(dev.hybrid.cli.config.ConfigurationException.class,
                () -> new LocalSettings(true, null, null, null, 0, null, null, null, null, 512L).validate());
        assertEquals("--memory-budget must be at least 768 (MB), not 512", flag.getMessage());
        var exported = org.junit.jupiter.api.Assertions.assertThrows(dev.hybrid.cli.config.ConfigurationException.class,
                () -> LocalSettings.validateInheritedBudget(java.util.Map.of("HYBRID_WORKER_MEMORY_MB", "2G")));
        assertEquals("HYBRID_WORKER_MEMORY_MB must be a whole number of MB, at least 768, not '2G': fix or unset it, "
                + "or give --memory-budget MB", exported.getMessage());
        LocalSettings.validateInheritedBudget(java.util.Map.of("HYBRID_WORKER_MEMORY_MB", "4096"));
        LocalSettings.validateInheritedBudget(java.util.Map.of());
    }

    @Test
    void flagsLeftOutOrEqualToTheRunningOnesChangeNothing() {
        assertTrue(LocalSettings.defaults().changedFrom(RUNNING, 8080).isEmpty());
        assertTrue(new LocalSettings(true, 8080, 2, 0, 0, "label", null, null, null, null).changedFrom(RUNNING, 8080).isEmpty());
        assertTrue(new LocalSettings(true, null, 4, null, 0, null, null, null, null, null).changedFrom(null, 8080).isEmpty(),
                "a record of an older version has no settings to compare");
    }
}
