package dev.hybrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class RecentResultsTest {
    @Test
    void evictsTheLeastRecentlyUsedEntry() {
        RecentResults<String> recent = new RecentResults<>(3);
        recent.put("a", "A");
        recent.put("b", "B");
        recent.put("c", "C");
        assertEquals("A", recent.get("a"), "a is now the most recently used");
        recent.put("d", "D");
        assertNull(recent.get("b"), "b was the least recently used");
        assertEquals("A", recent.get("a"));
        assertEquals("C", recent.get("c"));
        assertEquals("D", recent.get("d"));
        assertEquals(3, recent.size());
    }

    @Test
    void replacingAnEntryKeepsOneCopyAndRefreshesIt() {
        RecentResults<String> recent = new RecentResults<>(2);
        recent.put("a", "A1");
        recent.put("b", "B");
        recent.put("a", "A2");
        recent.put("c", "C");
        assertEquals("A2", recent.get("a"));
        assertNull(recent.get("b"));
        assertEquals(2, recent.size());
    }

    @Test
    void staysBoundedUnderConcurrentReadersAndWriters() throws Exception {
        RecentResults<Integer> recent = new RecentResults<>(50);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 10_000;
                work.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        recent.put(Integer.toString(offset + i), offset + i);
                        Integer value = recent.get(Integer.toString(offset + i / 2));
                        if (value != null && value != offset + i / 2) {
                            throw new AssertionError("wrong value " + value + " for " + (offset + i / 2));
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50, recent.size());
    }

    @Test
    void refusesANonPositiveCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new RecentResults<String>(0));
    }
}
