package dev.hybrid.worker.engine;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The model's warm-up and check input: a 64×64 JPEG of gradients and a fixed pseudo-random pattern,
 * the same bytes in every process of one jar and Java. A black image would not do: under the
 * {@code cse546} profile it is all zeros, and every convolution would return its bias alone.
 */
public final class CheckImage {
    private static final byte[] JPEG = encode();

    private CheckImage() {}

    public static byte[] jpeg() {
        return JPEG.clone();
    }

    private static byte[] encode() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        long state = 546;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                int noise = (int) (state >>> 58);
                int r = (x * 4 + noise) & 0xff;
                int g = (y * 4 + (noise << 1)) & 0xff;
                int b = ((x ^ y) * 4) & 0xff;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            javax.imageio.ImageIO.write(image, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
