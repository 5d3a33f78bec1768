package dev.hybrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawInferenceTest {
    @Test
    void warmUpCyclesThroughTheBatchesUntilThreeHundredImages() {
        StandInClassifier classifier = new StandInClassifier(Duration.ZERO);
        byte[] image = StandInClassifier.fakePng(16);
        List<List<byte[]>> batches = List.of(List.of(image, image, image, image, image, image, image, image, image, image),
                List.of(image, image, image, image, image, image, image, image, image, image), List.of(image, image, image, image, image));

        RawInference.warmUp(classifier, batches);

        // 25 images a cycle: twelve cycles of three passes reach exactly 300.
        assertEquals(36, classifier.forwardPasses.get());
    }

    @Test
    void warmUpCoversEveryBatchOnceEvenPastThreeHundredImages() {
        StandInClassifier classifier = new StandInClassifier(Duration.ZERO);
        byte[] image = StandInClassifier.fakePng(16);
        List<byte[]> ten = List.of(image, image, image, image, image, image, image, image, image, image);

        RawInference.warmUp(classifier, java.util.Collections.nCopies(40, ten));

        assertEquals(40, classifier.forwardPasses.get());
    }

    @Test
    void warmUpOfOneImageStillMakesThreeHundredPasses() {
        StandInClassifier classifier = new StandInClassifier(Duration.ZERO);

        RawInference.warmUp(classifier, List.of(List.of(StandInClassifier.fakePng(16))));

        assertEquals(300, classifier.forwardPasses.get());
    }
}
