package dev.hybrid.web;

import java.util.concurrent.Semaphore;

/**
 * The bytes of upload bodies the web tier holds in memory at once, across all uploads. Each upload
 * reserves what it will buffer before it reads it (its declared Content-Length, or each step of a
 * chunked body's growth) and gives it back once nothing holds the bytes any more; an upload that
 * finds the budget spent is refused with 503 and {@code Retry-After} instead of being read. The
 * per-upload limit ({@code --max-image-bytes}) alone let 120 connections that each declared an
 * 11 MB body exhaust a 768 MB heap.
 *
 * <p>A {@link Semaphore} counts the budget in KiB (its permits are an {@code int}); reservations are
 * rounded up to whole KiB.
 */
final class BodyBudget {
    private static final int KIB = 1024;

    private final long capacityBytes;
    private final Semaphore kib;

    BodyBudget(long capacityBytes) {
        if (capacityBytes < KIB) {
            throw new IllegalArgumentException("the upload memory budget must be at least 1 KiB, not " + capacityBytes + " bytes");
        }
        this.capacityBytes = capacityBytes;
        this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, capacityBytes / KIB));
    }

    /** The default: a quarter of the heap, and never less than one upload of the largest size. */
    static long defaultCapacity(long maxBodyBytes, long maxHeapBytes) {
        return Math.max(maxBodyBytes, maxHeapBytes / 4);
    }

    long capacityBytes() {
        return capacityBytes;
    }

    /** Bytes reserved now. */
    long usedBytes() {
        return capacityBytes / KIB * KIB - (long) kib.availablePermits() * KIB;
    }

    /** What one upload holds; {@link #release()} gives it all back and may be called any number of times. */
    Reservation reservation() {
        return new Reservation();
    }

    final class Reservation {
        private int heldKib;

        /** Makes the reservation cover {@code bytes} in all; false, and nothing changed, when the budget cannot. */
        synchronized boolean cover(long bytes) {
            long wanted = (bytes + KIB - 1) / KIB;
            if (wanted <= heldKib) {
                return true;
            }
            int more = (int) Math.min(Integer.MAX_VALUE, wanted - heldKib);
            if (!kib.tryAcquire(more)) {
                return false;
            }
            heldKib += more;
            return true;
        }

        synchronized void release() {
            if (heldKib > 0) {
                kib.release(heldKib);
                heldKib = 0;
            }
        }
    }
}
