package dev.hybrid.worker.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PilDecoder} on hand-made edge cases. The expected levels were printed by Pillow 9.4
 * ({@code Image.open(f).convert("RGB")}) for these very samples; EquivalenceTest covers whole images.
 */
class PilDecoderTest {
    /** 16-bit samples across the range: 0..255, just above, the sign bit of a short, the top. */
    private static final int[] SAMPLES = {0, 1, 200, 255, 256, 300, 1000, 65535, 0x1234, 0xABFF};
    /** PIL's mode I (16-bit grey) clips at 255. */
    private static final int[] CLIPPED = {0, 1, 200, 255, 255, 255, 255, 255, 255, 255};
    /** PIL's 16-bit unpackers keep the high byte. */
    private static final int[] HIGH_BYTE = {0, 0, 0, 0, 1, 1, 3, 255, 0x12, 0xAB};

    private static DjlClassifier classifier;
    private static Path fixtures;

    @BeforeAll
    static void load() throws URISyntaxException {
        fixtures = Path.of(PilDecoderTest.class.getResource("/equivalence/logits.json").toURI()).getParent();
        classifier = (DjlClassifier) Classifiers.load(ModelSettings.of(fixtures.resolve("tiny.pt").toUri().toString(),
                fixtures.resolve("labels.txt").toString(), "cse546"));
    }

    @AfterAll
    static void close() {
        if (classifier != null) {
            classifier.close();
        }
    }

    @Test
    void sixteenBitGreyIsClippedAt255EvenWithATransparentLevel() throws IOException {
        assertGrey(CLIPPED, PilDecoder.decode(png16(0, 1, new byte[0])));
        assertGrey(CLIPPED, PilDecoder.decode(png16(0, 1, shorts(200))));
    }

    @Test
    void sixteenBitGreyAlphaRgbAndRgbaKeepTheHighByte() throws IOException {
        assertGrey(HIGH_BYTE, PilDecoder.decode(png16(4, 2, new byte[0])));
        assertGrey(HIGH_BYTE, PilDecoder.decode(png16(2, 3, new byte[0])));
        assertGrey(HIGH_BYTE, PilDecoder.decode(png16(2, 3, shorts(300, 300, 300))));
        assertGrey(HIGH_BYTE, PilDecoder.decode(png16(6, 4, new byte[0])));
    }

    @Test
    void damagedWideAndCmykFilesAreUndecodableAndTheRestOfTheBatchIsAnswered() throws IOException {
        byte[] cmyk = Files.readAllBytes(fixtures.resolve("cmyk-adobe-64x48.jpg"));
        byte[] png16 = Files.readAllBytes(fixtures.resolve("rgb16-40x32.png"));
        List<byte[]> damaged = new ArrayList<>();
        damaged.add(Arrays.copyOf(cmyk, 200)); // cut inside the tables, before the frame header
        damaged.add(withSofComponents(cmyk, 5)); // a frame of five components: neither PIL nor libjpeg has a colour space for it
        damaged.add(Arrays.copyOf(png16, png16.length / 2)); // cut inside the image data
        damaged.add(png16(3, 1, new byte[0])); // 16-bit palette: not a legal PNG
        damaged.add(withPngSize(png16, 20_000, 9_000)); // 180 M pixels: over PIL's decompression-bomb limit
        List<byte[]> batch = new ArrayList<>(damaged);
        batch.add(cmyk);
        List<ImageClassifier.Outcome> outcomes = classifier.classify(batch);
        for (int i = 0; i < damaged.size(); i++) {
            var outcome = assertInstanceOf(ImageClassifier.Outcome.Undecodable.class, outcomes.get(i), "image " + i);
            assertFalse(outcome.message().contains("\n"), outcome.message());
            assertTrue(outcome.message().startsWith("not a decodable image"), outcome.message());
        }
        String bomb = ((ImageClassifier.Outcome.Undecodable) outcomes.get(damaged.size() - 1)).message();
        assertTrue(bomb.contains("more than the 178956970 PIL accepts"), bomb); // refused on the header, not on the missing data
        assertInstanceOf(ImageClassifier.Outcome.Labels.class, outcomes.get(damaged.size()));
    }

    /**
     * A cut file is an UNDECODABLE_IMAGE reply (422 at the web tier), never a label: ImageIO alone
     * would classify the JPEGs, padded with a fake EOI. PIL refuses all three (the script checks the
     * fixtures; the JPEG without its EOI marker said "image file is truncated (100 bytes not processed)").
     */
    @Test
    void truncatedImagesAreUndecodableNotLabelledAndTheRestOfTheBatchIsAnswered() throws IOException {
        byte[] whole = Files.readAllBytes(fixtures.resolve("rgb-64x64.jpg"));
        List<byte[]> truncated = List.of(
                Files.readAllBytes(fixtures.resolve("truncated-rgb-32x24.jpg")), // cut inside the entropy-coded data
                Files.readAllBytes(fixtures.resolve("truncated-rgb-32x24.png")), // cut inside IDAT
                Arrays.copyOf(whole, whole.length - 2)); // all but the EOI marker
        List<byte[]> batch = new ArrayList<>(truncated);
        batch.add(whole);
        List<ImageClassifier.Outcome> outcomes = classifier.classify(batch);
        String[] formats = {"JPEG", "PNG", "JPEG"};
        for (int i = 0; i < truncated.size(); i++) {
            var outcome = assertInstanceOf(ImageClassifier.Outcome.Undecodable.class, outcomes.get(i), "image " + i);
            assertTrue(outcome.message().startsWith("not a decodable image: image file is truncated: the " + formats[i]
                    + " data ends before the image does"), outcome.message());
            assertFalse(outcome.message().contains("\n"), outcome.message());
        }
        assertInstanceOf(ImageClassifier.Outcome.Labels.class, outcomes.get(truncated.size()));
    }

    private static void assertGrey(int[] expected, Profile.Pixels pixels) {
        assertEquals(expected.length, pixels.width());
        int[] actual = new int[expected.length];
        for (int i = 0; i < actual.length; i++) {
            int rgb = pixels.rgb()[i];
            assertEquals(rgb & 0xFF, (rgb >> 8) & 0xFF, "pixel " + i + " is not grey");
            assertEquals(rgb & 0xFF, (rgb >> 16) & 0xFF, "pixel " + i + " is not grey");
            actual[i] = rgb & 0xFF;
        }
        assertArrayEquals(expected, actual);
    }

    /** One row of {@link #SAMPLES}, every channel (alpha too) the same sample, with an optional tRNS chunk. */
    private static byte[] png16(int colourType, int channels, byte[] transparency) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(13).putInt(SAMPLES.length).putInt(1)
                .put((byte) 16).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(0); // filter: none
        for (int sample : SAMPLES) {
            for (int c = 0; c < channels; c++) {
                raw.write(sample >> 8);
                raw.write(sample);
            }
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
            raw.writeTo(deflate);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", header.array());
        if (transparency.length > 0) {
            chunk(png, "tRNS", transparency);
        }
        chunk(png, "IDAT", compressed.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.write(ByteBuffer.allocate(4).putInt(data.length).array());
        png.write(name);
        png.write(data);
        png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length);
        for (int v : values) {
            buffer.putShort((short) v);
        }
        return buffer.array();
    }

    /** The PNG with another size in its header (and the header's CRC fixed), the image data unchanged. */
    private static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] copy = png.clone();
        ByteBuffer.wrap(copy, 16, 8).putInt(width).putInt(height); // signature (8), length (4), "IHDR" (4)
        CRC32 crc = new CRC32();
        crc.update(copy, 12, 4 + 13);
        ByteBuffer.wrap(copy, 29, 4).putInt((int) crc.getValue());
        return copy;
    }

    /** The JPEG with its baseline frame header's component count changed. */
    private static byte[] withSofComponents(byte[] jpeg, int components) {
        byte[] copy = jpeg.clone();
        for (int i = 2; i + 9 < copy.length; i++) {
            if ((copy[i] & 0xFF) == 0xFF && (copy[i + 1] & 0xFF) == 0xC0) {
                copy[i + 9] = (byte) components; // FFC0, length (2), precision, height (2), width (2), components
                return copy;
            }
        }
        throw new AssertionError("no SOF0 marker");
    }
}
