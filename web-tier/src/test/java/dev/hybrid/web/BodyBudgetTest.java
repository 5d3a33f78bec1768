package dev.hybrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    @Test
    void reservationsShareTheBudgetGrowAndComeBackOnce() {
        BodyBudget budget = new BodyBudget(10 * 1024);
        BodyBudget.Reservation a = budget.reservation();
        BodyBudget.Reservation b = budget.reservation();
        assertTrue(a.cover(6 * 1024));
        assertEquals(6 * 1024, budget.usedBytes());
        assertFalse(b.cover(5 * 1024), "6 + 5 KiB exceed 10 KiB");
        assertEquals(6 * 1024, budget.usedBytes(), "a refused reservation takes nothing");
        assertTrue(b.cover(1), "rounded up to a whole KiB");
        assertTrue(b.cover(4 * 1024), "grows by the difference only");
        assertEquals(10 * 1024, budget.usedBytes());
        assertTrue(a.cover(3 * 1024), "already covered");
        a.release();
        a.release();
        assertEquals(4 * 1024, budget.usedBytes(), "released once, however often asked");
        b.release();
        assertEquals(0, budget.usedBytes());
        assertTrue(budget.reservation().cover(10 * 1024));
    }
}
