package dev.hybrid.worker.model;

import dev.hybrid.contract.WorkerLimits;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How much memory one worker may use, and what that allows: the largest image the {@code cse546} profile
 * classifies at its own size, how far the {@code imagenet} profile subsamples while decoding, and how many
 * images go through the network in one pass. Everything is planned from the image header, before any pixel
 * is decoded, so a small file that declares a huge image costs nothing.
 *
 * <p>The figures are measured (docs/model.md, "Memory"): the resident set of a worker with the model loaded
 * and warmed up is about 300-330 MB, {@link #BASELINE_BYTES} keeps 512 MB for it; a forward pass of ResNet-18
 * through DJL adds about 700 bytes per input pixel (640x480, 1000x1000 and 2000x2000 at native size: 667, 696
 * and 663), {@link #ACTIVATION_BYTES_PER_PIXEL}; decoding adds about 40 bytes per decoded pixel to the Java
 * heap (the decoded raster, packed RGB, the float tensor and the batch's copy), {@link #HEAP_BYTES_PER_PIXEL}.
 *
 * @param budgetBytes the worker's whole resident set: heap, native library, model and activations
 * @param heapBytes   the JVM's maximum heap ({@code -Xmx}), which decoding must fit in
 * @param derived     true when no budget was given and it was derived from the machine's memory
 */
public record MemoryBudget(long budgetBytes, long heapBytes, boolean derived) {
    public static final long MB = 1024 * 1024;
    public static final long BASELINE_BYTES = 512 * MB;
    public static final long ACTIVATION_BYTES_PER_PIXEL = 720;
    public static final long HEAP_BYTES_PER_PIXEL = 40;
    /** Heap kept for everything but decoding (SDK clients, buffers, the batch's bytes). */
    static final long HEAP_RESERVE_BYTES = 96 * MB;
    /** A pass over more than two VGA frames of pixels was slower per image (docs/model.md), whatever the budget. */
    static final long FASTEST_PASS_PIXELS = 2L * 640 * 480;
    /** Without a budget, a worker alone on its machine takes this share of it. */
    static final double MACHINE_SHARE = 0.8;
    /** Less than this leaves no room for an image at all. */
    public static final long MIN_BUDGET_MB = 768;

    public MemoryBudget {
        if (budgetBytes < MIN_BUDGET_MB * MB) {
            throw new IllegalArgumentException("the worker memory budget must be at least " + MIN_BUDGET_MB + " MB ("
                    + WorkerLimits.MEMORY_BUDGET_MB_ENV + "), got " + budgetBytes / MB + " MB");
        }
    }

    /** The budget given in megabytes, or without one the machine's share; the heap is this JVM's. */
    public static MemoryBudget of(Long budgetMb) {
        long heap = Runtime.getRuntime().maxMemory();
        if (budgetMb != null) {
            return new MemoryBudget(budgetMb * MB, heap, false);
        }
        return new MemoryBudget(Math.max(MIN_BUDGET_MB * MB, (long) (machineMemoryBytes() * MACHINE_SHARE)), heap, true);
    }

    /** Physical memory, or the container's limit where there is one. */
    public static long machineMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory() * 4;
    }

    /** Native memory for activations: the budget less the baseline and the heap, which may all become resident. */
    long activationBytes() {
        return Math.max(0, budgetBytes - BASELINE_BYTES - heapBytes);
    }

    /** Pixels one image may decode to on the heap. */
    long decodablePixels() {
        return Math.max(0, heapBytes - HEAP_RESERVE_BYTES) / HEAP_BYTES_PER_PIXEL;
    }

    /** The largest image, in pixels, that goes through the network at its own size (the {@code cse546} profile). */
    public long maxNativePixels() {
        return Math.min(activationBytes() / ACTIVATION_BYTES_PER_PIXEL, decodablePixels());
    }

    /** Activation bytes one forward pass may use: the budget's, and no more than the fastest pass size. */
    long passActivationBytes() {
        return Math.min(activationBytes(), FASTEST_PASS_PIXELS * ACTIVATION_BYTES_PER_PIXEL);
    }

    /** Images of {@code pixels} each in one pass; at least one (an image is refused before, if it alone is too large). */
    int imagesPerPass(long pixels) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, passActivationBytes() / (pixels * ACTIVATION_BYTES_PER_PIXEL)));
    }

    /**
     * The subsampling for the {@code imagenet} profile, which resizes to 256 pixels on the short side anyway: 1 when an
     * image of {@code width x height} can be decoded whole (the exact path, PIL's pixels); else the larger of the
     * smallest factor that fits {@link #decodablePixels()} and the one that leaves 512 pixels on the short side (twice
     * the resize target, so the antialiasing resize still averages, and the decode is fast).
     */
    int subsampling(int width, int height) {
        long limit = Math.max(1, decodablePixels());
        if ((long) width * height <= limit) {
            return 1;
        }
        int factor = 1;
        while ((long) ceilDiv(width, factor) * ceilDiv(height, factor) > limit) {
            factor++;
        }
        return Math.max(factor, Math.min(width, height) / 512);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** One line for the log and for status. */
    public String describe() {
        return String.format(Locale.ROOT, "memory budget %d MB%s (heap %d MB): images up to %.1f Mpx at their own size (cse546), "
                        + "larger ones subsampled while decoding (imagenet), forward passes of at most %d MB of activations",
                budgetBytes / MB, derived ? " derived from the machine's " + machineMemoryBytes() / MB + " MB" : "",
                heapBytes / MB, maxNativePixels() / 1e6, passActivationBytes() / MB);
    }

    static String megapixels(long pixels) {
        return String.format(Locale.ROOT, "%.1f Mpx", pixels / 1e6);
    }
}
