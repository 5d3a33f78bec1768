package dev.hybrid.worker.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.contract.Prediction;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs offline (ai.djl.offline=true): the model zoo cannot be reached, so the untrained fallback answers. */
class ClassifiersTest {
    private static ImageClassifier classifier;

    @BeforeAll
    static void load() {
        classifier = Classifiers.load(ModelSettings.of(null, null, "cse546"));
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    static byte[] image(long seed, int width, int height, String format) throws IOException {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < 8; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width), 1 + random.nextInt(height));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    @Test
    void withoutANetworkTheUntrainedResNet18AnswersAndSaysSo() {
        assertTrue(classifier.untrained());
        assertEquals(Classifiers.UNTRAINED_ID, classifier.modelId());
    }

    @Test
    void theFallbackHasTheRealResNet18Topology() {
        DjlClassifier untrained = (DjlClassifier) Classifiers.untrained(Profile.CSE546);
        try {
            // torchvision.models.resnet18(): 11,689,512 parameters.
            assertEquals(11_689_512L, Classifiers.parameterCount(untrainedBlock(untrained)));
        } finally {
            untrained.close();
        }
    }

    private static ai.djl.nn.Block untrainedBlock(DjlClassifier classifier) {
        try {
            var field = DjlClassifier.class.getDeclaredField("model");
            field.setAccessible(true);
            return ((ai.djl.Model) field.get(classifier)).getBlock();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void untrainedWeightsAreTheSameInEveryLoad() throws IOException {
        byte[] png = image(1, 64, 64, "png");
        ImageClassifier second = Classifiers.untrained(Profile.CSE546);
        try {
            var a = (ImageClassifier.Outcome.Labels) classifier.classify(List.of(png)).get(0);
            var b = (ImageClassifier.Outcome.Labels) second.classify(List.of(png)).get(0);
            assertEquals(a.top5().get(0).label(), b.top5().get(0).label());
            assertEquals(a.top5().get(0).probability(), b.top5().get(0).probability(), 1e-6);
        } finally {
            second.close();
        }
    }

    @Test
    void classifiesPngAndJpegWithSimpleLabelsAndFlagsUndecodableBytes() throws IOException {
        List<ImageClassifier.Outcome> outcomes = classifier.classify(List.of(image(2, 64, 64, "png"), "not an image".getBytes(),
                image(3, 64, 64, "jpg"), image(4, 80, 48, "png")));
        assertEquals(4, outcomes.size());
        assertInstanceOf(ImageClassifier.Outcome.Undecodable.class, outcomes.get(1));
        List<String> simple = Classifiers.simpleLabels();
        for (int i : new int[] {0, 2, 3}) {
            List<Prediction> top5 = ((ImageClassifier.Outcome.Labels) outcomes.get(i)).top5();
            assertEquals(5, top5.size());
            double sum = 0;
            for (int k = 0; k < 5; k++) {
                assertTrue(simple.contains(top5.get(k).label()), top5.get(k).label());
                if (k > 0) {
                    assertTrue(top5.get(k - 1).probability() >= top5.get(k).probability());
                }
                sum += top5.get(k).probability();
            }
            assertTrue(sum > 0 && sum <= 1.0 + 1e-9, "probabilities " + sum);
        }
    }

    @Test
    void aBatchAnswersExactlyAsImagesOneByOne() throws IOException {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            images.add(image(100 + i, 64, 64, "png"));
        }
        List<ImageClassifier.Outcome> batch = classifier.classify(images);
        for (int i = 0; i < images.size(); i++) {
            var alone = (ImageClassifier.Outcome.Labels) classifier.classify(List.of(images.get(i))).get(0);
            var together = (ImageClassifier.Outcome.Labels) batch.get(i);
            assertEquals(alone.top5().get(0).label(), together.top5().get(0).label());
            assertEquals(alone.top5().get(0).probability(), together.top5().get(0).probability(), 1e-5);
        }
    }

    @Test
    void largeImagesGoThroughInSeveralPassesAndKeepTheirPlaces() throws IOException {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            images.add(image(200 + i, 640, 480, "jpg"));
            images.add(image(300 + i, 64, 64, "png"));
        }
        List<ImageClassifier.Outcome> batch = classifier.classify(images);
        for (int i = 0; i < images.size(); i++) {
            var alone = (ImageClassifier.Outcome.Labels) classifier.classify(List.of(images.get(i))).get(0);
            var together = (ImageClassifier.Outcome.Labels) batch.get(i);
            assertEquals(alone.top5().get(0).label(), together.top5().get(0).label(), "image " + i);
            assertEquals(alone.top5().get(0).probability(), together.top5().get(0).probability(), 1e-5, "image " + i);
        }
    }

    @Test
    void aDecoderFailureWithoutWordsStillGetsAOneLineReason() {
        assertEquals("the decoder failed (ArrayIndexOutOfBoundsException)", DjlClassifier.reason(new ArrayIndexOutOfBoundsException()));
        assertEquals("the decoder failed (IIOException)", DjlClassifier.reason(new javax.imageio.IIOException(" ")));
        assertEquals("bad Huffman table at 12", DjlClassifier.reason(new java.io.IOException("bad Huffman table\n at 12\n")));
    }

    @Test
    void theImagenetProfileTakesAnySizeToTheSameInput() throws IOException {
        ImageClassifier imagenet = Classifiers.untrained(Profile.IMAGENET);
        try {
            List<ImageClassifier.Outcome> outcomes = imagenet.classify(List.of(image(5, 640, 480, "jpg"), image(6, 300, 200, "png")));
            outcomes.forEach(o -> assertInstanceOf(ImageClassifier.Outcome.Labels.class, o));
        } finally {
            imagenet.close();
        }
    }

    @Test
    void badSettingsAreClearErrors() {
        IllegalArgumentException profile = assertThrows(IllegalArgumentException.class, () -> ModelSettings.of(null, null, "coco"));
        assertEquals("profile must be cse546 or imagenet, not 'coco'", profile.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Classifiers.load(ModelSettings.of("file:/nonexistent/model.pt", "/tmp/labels.txt", "cse546")));
        assertTrue(missing.getMessage().startsWith("no TorchScript model at /nonexistent/model.pt"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Classifiers.load(ModelSettings.of("http://x/model.pt", null, null)));
    }
}
