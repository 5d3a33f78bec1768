package dev.hybrid.worker.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long MB = MemoryBudget.MB;

    @Test
    void withRoomToSpareAPassHoldsAboutTwoVgaFramesOfActivations() {
        MemoryBudget large = new MemoryBudget(16_384 * MB, 2048 * MB, false);
        assertEquals(150, large.imagesPerPass(64 * 64));
        assertEquals(12, large.imagesPerPass(224 * 224));
        assertEquals(2, large.imagesPerPass(480 * 640));
        assertEquals(1, large.imagesPerPass(1080 * 1920));
        assertEquals(1, large.imagesPerPass(40_000L * 40_000));
    }

    @Test
    void aSmallBudgetMakesSmallerPassesAndASmallerImageCap() {
        // 1024 MB: 512 baseline, 256 heap, 256 MB of activations at 720 bytes a pixel.
        MemoryBudget small = new MemoryBudget(1024 * MB, 256 * MB, false);
        assertEquals(256 * MB, small.activationBytes());
        assertEquals(256 * MB / 720, small.maxNativePixels());
        assertEquals(1, small.imagesPerPass(480 * 640));
        assertEquals(7, small.imagesPerPass(224 * 224));
        assertEquals(List.of(1, 1), List.of(small.subsampling(640, 480), small.subsampling(2000, 2000)));
        // 160 MB of heap for decoding, 40 bytes a pixel: 4.2 Mpx whole; 13000x13000 is read every 25th pixel.
        assertEquals(160 * MB / 40, small.decodablePixels());
        assertEquals(25, small.subsampling(13_000, 13_000));
    }

    @Test
    void aBudgetBelowTheMinimumIsRefusedNamingTheVariable() {
        var refusal = assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(512 * MB, 256 * MB, false));
        assertEquals("the worker memory budget must be at least 768 MB (HYBRID_WORKER_MEMORY_MB), got 512 MB", refusal.getMessage());
    }

    @Test
    void theCse546ProfileRefusesFromTheHeaderAnImageOverItsCapNamingTheLimit() throws Exception {
        MemoryBudget budget = new MemoryBudget(2048 * MB, 512 * MB, false);
        try (ImageClassifier classifier = Classifiers.untrained(Profile.CSE546, budget)) {
            long started = System.nanoTime();
            List<ImageClassifier.Outcome> outcomes = classifier.classify(List.of(LargePng.grey(13_000, 13_000), LargePng.grey(4000, 4000),
                    LargePng.grey(64, 64)));
            System.out.printf("cse546, 2048 MB budget: 13000x13000 and 4000x4000 refused, 64x64 classified, in %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
            var huge = assertInstanceOf(ImageClassifier.Outcome.TooLarge.class, outcomes.get(0));
            assertEquals("image is 13000x13000 = 169.0 Mpx; the cse546 profile classifies images at their own size, and this worker's "
                    + "memory budget of 2048 MB takes at most 1.5 Mpx (raise HYBRID_WORKER_MEMORY_MB, or send a smaller image)", huge.message());
            assertInstanceOf(ImageClassifier.Outcome.TooLarge.class, outcomes.get(1));
            assertInstanceOf(ImageClassifier.Outcome.Labels.class, outcomes.get(2));
        }
    }

    @Test
    void theImagenetProfileSubsamplesAnImageTooLargeToDecodeWhole() throws Exception {
        MemoryBudget budget = new MemoryBudget(1024 * MB, 256 * MB, false);
        try (ImageClassifier classifier = Classifiers.untrained(Profile.IMAGENET, budget)) {
            long started = System.nanoTime();
            List<ImageClassifier.Outcome> outcomes = classifier.classify(List.of(LargePng.grey(13_000, 13_000)));
            System.out.printf("imagenet, 1024 MB budget: 13000x13000 classified in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertInstanceOf(ImageClassifier.Outcome.Labels.class, outcomes.get(0));
        }
    }
}
