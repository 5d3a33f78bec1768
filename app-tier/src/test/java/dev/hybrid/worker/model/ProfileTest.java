package dev.hybrid.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ProfileTest {
    private static BufferedImage noise(int type, int w, int h, long seed) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random random = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        return image;
    }

    /** What the slow path gives: getRGB, alpha dropped. */
    private static int[] viaGetRgb(BufferedImage image) {
        int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xFFFFFF;
        }
        return rgb;
    }

    @Test
    void bgrBytesAreReadAsGetRgbReadsThem() {
        BufferedImage image = noise(BufferedImage.TYPE_3BYTE_BGR, 37, 23, 1);
        assertArrayEquals(viaGetRgb(image), Profile.interleavedSrgb(image));
    }

    @Test
    void aSubimageIsReadFromItsOwnCorner() {
        BufferedImage sub = noise(BufferedImage.TYPE_3BYTE_BGR, 40, 30, 2).getSubimage(5, 7, 20, 11);
        assertArrayEquals(viaGetRgb(sub), Profile.interleavedSrgb(sub));
    }

    @Test
    void rgbOrderedBytesAreReadInTheirBandOrder() {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 9, 3, null);
        Random random = new Random(3);
        for (int i = 0; i < 16 * 9 * 3; i++) {
            raster.getDataBuffer().setElem(i, random.nextInt(256));
        }
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage image = new BufferedImage(model, raster, false, null);
        assertArrayEquals(viaGetRgb(image), Profile.interleavedSrgb(image));
    }

    @Test
    void aDecodedJpegGivesTheSamePixelsEitherWay() throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(noise(BufferedImage.TYPE_INT_RGB, 64, 48, 4), "jpg", jpeg);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg.toByteArray()));
        assertArrayEquals(viaGetRgb(decoded), Profile.interleavedSrgb(decoded));
        assertArrayEquals(viaGetRgb(decoded), Profile.rgb(decoded).rgb());
    }

    @Test
    void otherLayoutsAreLeftToGetRgb() {
        assertNull(Profile.interleavedSrgb(noise(BufferedImage.TYPE_4BYTE_ABGR, 4, 4, 5)));
        assertNull(Profile.interleavedSrgb(noise(BufferedImage.TYPE_INT_RGB, 4, 4, 6)));
        assertNull(Profile.interleavedSrgb(noise(BufferedImage.TYPE_BYTE_GRAY, 4, 4, 7)));
        assertNull(Profile.interleavedSrgb(noise(BufferedImage.TYPE_USHORT_GRAY, 4, 4, 8)));
    }
}
