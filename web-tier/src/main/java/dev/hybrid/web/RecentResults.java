package dev.hybrid.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded map that evicts the least recently used entry, and whose reads take no lock. Every
 * cached upload reads it, on Jetty's selector threads (see {@link UploadHandler}); with a lock
 * around an access-ordered LinkedHashMap, a reader preempted while holding it stalled every other
 * selector for a scheduler slice, which showed as p99 latency on two busy cores. Writes (one per
 * classified image) pay instead: over capacity, a write scans for the least recently used entry.
 */
final class RecentResults<V> {
    private static final class Entry<V> {
        final V value;
        volatile long lastUsed;

        Entry(V value, long lastUsed) {
            this.value = value;
            this.lastUsed = lastUsed;
        }
    }

    private final int capacity;
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    /** Orders uses; an atomic increment cannot be preempted halfway, unlike a critical section. */
    private final AtomicLong clock = new AtomicLong();

    RecentResults(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    V get(String key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        entry.lastUsed = clock.incrementAndGet();
        return entry.value;
    }

    void put(String key, V value) {
        entries.put(key, new Entry<>(value, clock.incrementAndGet()));
        if (entries.size() > capacity) {
            evict();
        }
    }

    int size() {
        return entries.size();
    }

    private synchronized void evict() {
        while (entries.size() > capacity) {
            String oldestKey = null;
            Entry<V> oldest = null;
            for (Map.Entry<String, Entry<V>> e : entries.entrySet()) {
                if (oldest == null || e.getValue().lastUsed < oldest.lastUsed) {
                    oldestKey = e.getKey();
                    oldest = e.getValue();
                }
            }
            if (oldest == null) {
                return;
            }
            entries.remove(oldestKey, oldest);
        }
    }
}
