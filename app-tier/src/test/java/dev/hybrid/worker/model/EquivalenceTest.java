package dev.hybrid.worker.model;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our preprocessing and DJL's forward pass reproduce what PyTorch computes. The fixtures (a tiny
 * TorchScript model, generated images, PyTorch's logits, PIL's resized crops) are committed and
 * were written by {@code app-tier/src/test/python/make_equivalence_fixtures.py}; this test needs
 * no Python.
 */
class EquivalenceTest {
    /** PNG is lossless, so both sides see the same pixels: only float32 summation order differs. */
    static final double PNG_TOLERANCE = 1e-4;
    /**
     * ImageIO decodes JPEG with the JDK's copy of IJG libjpeg 6b, PIL with libjpeg-turbo. Both
     * implement the same integer IDCT and fancy upsampling, but nothing obliges them to round alike,
     * so a decoded level may differ by one on some pixels ({@link #jpegDecodesToPilsPixelsWithinOneLevel}
     * measures it: no pixel differed on these fixtures with Debian's OpenJDK 17.0.15 and libjpeg62-turbo
     * 2.1.5). Measured with make_equivalence_fixtures.py's model: a one-level difference on every
     * pixel with random sign moves a logit by at most 0.165, the same on every pixel by at most 0.087.
     * The bound covers that worst case; resizing errors are caught by the PNG tests, not by this one.
     */
    static final double JPEG_TOLERANCE = 0.2;

    private static Path dir;
    private static JsonNode fixtures;
    private static DjlClassifier cse546;
    private static DjlClassifier imagenet;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        dir = Path.of(EquivalenceTest.class.getResource("/equivalence/logits.json").toURI()).getParent();
        fixtures = new ObjectMapper().readTree(dir.resolve("logits.json").toFile());
        String model = dir.resolve(fixtures.get("model").asText()).toUri().toString();
        String labels = dir.resolve(fixtures.get("labels").asText()).toString();
        cse546 = (DjlClassifier) Classifiers.load(ModelSettings.of(model, labels, "cse546"));
        imagenet = (DjlClassifier) Classifiers.load(ModelSettings.of(model, labels, "imagenet"));
    }

    @AfterAll
    static void close() {
        if (cse546 != null) {
            cse546.close();
        }
        if (imagenet != null) {
            imagenet.close();
        }
    }

    private static Stream<JsonNode> images(String format) {
        List<JsonNode> selected = new ArrayList<>();
        fixtures.get("images").forEach(image -> {
            if (image.get("format").asText().equals(format)) {
                selected.add(image);
            }
        });
        assertFalse(selected.isEmpty(), "no " + format + " fixtures");
        return selected.stream();
    }

    private Stream<DynamicTest> logitsUnderBothProfiles(String format, double tolerance) {
        return images(format).flatMap(image -> Stream.of(
                DynamicTest.dynamicTest(image.get("image").asText() + " cse546", () -> assertLogits(cse546, image, "cse546", tolerance)),
                DynamicTest.dynamicTest(image.get("image").asText() + " imagenet", () -> assertLogits(imagenet, image, "imagenet", tolerance))));
    }

    @TestFactory
    Stream<DynamicTest> pngLogitsEqualPyTorchWithin1e4() {
        return logitsUnderBothProfiles("png", PNG_TOLERANCE);
    }

    @TestFactory
    Stream<DynamicTest> jpegLogitsEqualPyTorchWithinTheDecoderTolerance() {
        return logitsUnderBothProfiles("jpeg", JPEG_TOLERANCE);
    }

    /** ImageIO's JPEG pixels against PIL's: the only difference the JPEG logit tolerance is there to absorb. */
    @TestFactory
    Stream<DynamicTest> jpegDecodesToPilsPixelsWithinOneLevel() {
        return images("jpeg").map(image -> DynamicTest.dynamicTest(image.get("image").asText(), () -> {
            Profile.Pixels ours = Profile.rgb(read(image.get("image").asText()));
            Profile.Pixels pil = Profile.rgb(read(image.get("pilDecoded").asText()));
            int maxLevel = compare(image, ours, pil).maxLevel();
            assertTrue(maxLevel <= 1, "ImageIO's pixels differ from PIL's by up to " + maxLevel + " levels");
        }));
    }

    /**
     * 16-bit PNG and 4-component JPEG, whose conversion to RGB follows PIL's own rules
     * ({@link PilDecoder}): PNG pixels must equal PIL's exactly; JPEG within the one level the
     * decoder difference allows (measured: 0 pixels differ).
     */
    @TestFactory
    Stream<DynamicTest> wideAndCmykImagesDecodeToPilsPixels() {
        return Stream.concat(images("png16"), images("jpeg-cmyk")).map(image -> DynamicTest.dynamicTest(image.get("image").asText(), () -> {
            PixelComparison comparison = decodeAndCompareWithPil(image);
            if (image.get("format").asText().equals("png16")) {
                assertEquals(0, comparison.differing(), comparison.detail());
            } else {
                assertTrue(comparison.maxLevel() <= 1, "by up to " + comparison.maxLevel() + " levels: " + comparison.detail());
            }
        }));
    }

    /**
     * 1-, 2- and 4-bit grey (one with a tRNS level) and palette PNG, a GIF with a transparent index,
     * 24-bit, 1-bit and 16-bit (565) BMP: lossless, so PilDecoder's pixels must be PIL's exactly.
     */
    @TestFactory
    Stream<DynamicTest> lowBitPngGifAndBmpImagesDecodeToPilsPixelsExactly() {
        return images("pixels").map(image -> DynamicTest.dynamicTest(image.get("image").asText(), () -> {
            PixelComparison comparison = decodeAndCompareWithPil(image);
            assertEquals(0, comparison.differing(), comparison.detail());
        }));
    }

    /**
     * Files that end before their image does, which PIL refuses with "image file is truncated": the
     * truncated fixtures, and prefixes of whole fixtures down to a JPEG without its EOI marker.
     */
    @TestFactory
    Stream<DynamicTest> truncatedImagesAreRefusedAsPilRefusesThem() {
        return images("truncated").map(image -> {
            String name = image.get("image").asText();
            int kept = image.get("bytes").asInt();
            return DynamicTest.dynamicTest(name + " cut to " + kept + " bytes", () -> {
                byte[] file = Files.readAllBytes(dir.resolve(name));
                assertTrue(kept <= file.length, "logits.json keeps more bytes than " + name + " has");
                byte[] cut = Arrays.copyOf(file, kept);
                IOException refusal = assertThrows(IOException.class, () -> PilDecoder.decode(cut));
                assertTrue(refusal.getMessage().startsWith("image file is truncated"),
                        "PIL says '" + image.get("pilError").asText() + "', we say '" + refusal.getMessage() + "'");
            });
        });
    }

    /** Bytes after EOI, IEND, the GIF trailer or a BMP's pixels change nothing, for PIL (checked by the script) nor for us. */
    @TestFactory
    Stream<DynamicTest> trailingGarbageIsIgnoredAsPilIgnoresIt() {
        byte[] garbage = HexFormat.of().parseHex(fixtures.get("trailingGarbage").asText());
        return images("trailing-garbage").map(image -> DynamicTest.dynamicTest(image.get("image").asText(), () -> {
            byte[] file = Files.readAllBytes(dir.resolve(image.get("image").asText()));
            byte[] followed = Arrays.copyOf(file, file.length + garbage.length);
            System.arraycopy(garbage, 0, followed, file.length, garbage.length);
            Profile.Pixels alone = PilDecoder.decode(file);
            Profile.Pixels withGarbage = PilDecoder.decode(followed);
            assertEquals(alone.width(), withGarbage.width());
            assertEquals(alone.height(), withGarbage.height());
            assertArrayEquals(alone.rgb(), withGarbage.rgb());
        }));
    }

    record PixelComparison(int differing, int maxLevel, String detail) {}

    /** PilDecoder's pixels for the image against PIL's {@code convert("RGB")} pixels, saved as pilDecoded. */
    private static PixelComparison decodeAndCompareWithPil(JsonNode image) throws IOException {
        String name = image.get("image").asText();
        Profile.Pixels ours = PilDecoder.decode(Files.readAllBytes(dir.resolve(name)));
        Profile.Pixels pil = Profile.rgb(read(image.get("pilDecoded").asText()));
        assertEquals(image.get("width").asInt(), ours.width());
        assertEquals(image.get("height").asInt(), ours.height());
        return compare(image, ours, pil);
    }

    /** Same size, then how many pixels differ and by how many levels at most, printed for the record. */
    private static PixelComparison compare(JsonNode image, Profile.Pixels ours, Profile.Pixels pil) {
        String name = image.get("image").asText();
        assertEquals(pil.width(), ours.width());
        assertEquals(pil.height(), ours.height());
        int maxLevel = 0;
        int differing = 0;
        int first = -1;
        for (int i = 0; i < pil.rgb().length; i++) {
            int level = 0;
            for (int shift = 0; shift <= 16; shift += 8) {
                level = Math.max(level, Math.abs(((ours.rgb()[i] >> shift) & 0xFF) - ((pil.rgb()[i] >> shift) & 0xFF)));
            }
            maxLevel = Math.max(maxLevel, level);
            differing += level > 0 ? 1 : 0;
            first = first < 0 && level > 0 ? i : first;
        }
        System.out.printf(Locale.ROOT, "equivalence %-26s decoded   %d of %d pixels differ from PIL's, by at most %d level(s)%n",
                name, differing, pil.rgb().length, maxLevel);
        String detail = differing + " pixels differ from PIL's (" + image.path("pilMode").asText("RGB") + "), the first at x="
                + (first % pil.width()) + " y=" + (first / pil.width())
                + String.format(Locale.ROOT, ": ours %06x, PIL %06x", first < 0 ? 0 : ours.rgb()[first], first < 0 ? 0 : pil.rgb()[first]);
        return new PixelComparison(differing, maxLevel, detail);
    }

    @TestFactory
    Stream<DynamicTest> png16LogitsEqualPyTorchWithin1e4() {
        return logitsUnderBothProfiles("png16", PNG_TOLERANCE);
    }

    /** The same decoder tolerance as for YCbCr JPEG: the components come out of the same IDCT and upsampling. */
    @TestFactory
    Stream<DynamicTest> cmykJpegLogitsEqualPyTorchWithinTheDecoderTolerance() {
        return logitsUnderBothProfiles("jpeg-cmyk", JPEG_TOLERANCE);
    }

    /** The resize and centre crop alone, pixel for pixel: a logit can hide a one-level difference, a pixel cannot. */
    @TestFactory
    Stream<DynamicTest> imagenetResizeAndCropEqualPilPixelForPixel() {
        return images("png").map(image -> DynamicTest.dynamicTest(image.get("image").asText(), () -> {
            Profile.Pixels ours = Profile.IMAGENET.resizeAndCrop(Profile.rgb(read(image.get("image").asText())));
            Profile.Pixels pil = Profile.rgb(read(image.get("imagenetCrop").asText()));
            assertEquals(224, ours.width());
            assertEquals(224, ours.height());
            int differing = 0;
            int first = -1;
            for (int i = 0; i < pil.rgb().length; i++) {
                if (ours.rgb()[i] != pil.rgb()[i]) {
                    differing++;
                    first = first < 0 ? i : first;
                }
            }
            assertEquals(0, differing, differing + " pixels differ from PIL's, the first at x=" + (first % 224) + " y=" + (first / 224)
                    + String.format(Locale.ROOT, ": ours %06x, PIL %06x", first < 0 ? 0 : ours.rgb()[first], first < 0 ? 0 : pil.rgb()[first]));
        }));
    }

    private static BufferedImage read(String name) throws IOException {
        BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
        assertNotNull(image, name);
        return image;
    }

    private static void assertLogits(DjlClassifier classifier, JsonNode image, String profile, double tolerance) throws Exception {
        String name = image.get("image").asText();
        float[] ours = classifier.logits(Files.readAllBytes(dir.resolve(name)));
        JsonNode expected = image.get(profile);
        assertEquals(expected.size(), ours.length, "logit count");
        double max = 0;
        int worst = 0;
        for (int i = 0; i < ours.length; i++) {
            double difference = Math.abs(ours[i] - expected.get(i).asDouble());
            if (difference > max) {
                max = difference;
                worst = i;
            }
        }
        // A figure for docs/model.md, not an assertion: how close each image comes.
        System.out.printf(Locale.ROOT, "equivalence %-26s %-8s max |logit difference| %.3g%n", name, profile, max);
        assertTrue(max <= tolerance, String.format(Locale.ROOT, "%s under %s: logit %d is %.6f, PyTorch says %.6f (difference %.3g > %.3g)",
                name, profile, worst, ours[worst], expected.get(worst).asDouble(), max, tolerance));
    }
}
