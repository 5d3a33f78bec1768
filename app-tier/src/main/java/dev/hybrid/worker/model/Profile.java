package dev.hybrid.worker.model;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.util.Locale;

/** How an image becomes the model's input tensor (float CHW). */
public enum Profile {
    /**
     * The CSE 546 course's reference classifier: the RGB image at its own size, values x/255 exactly
     * like torchvision's {@code ToTensor()}, no resize, no normalisation.
     */
    CSE546,
    /**
     * torchvision's {@code Resize(256)} (Pillow's antialiased bilinear), {@code CenterCrop(224)},
     * {@code ToTensor()} and ImageNet mean/std {@code Normalize}.
     */
    IMAGENET;

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final int RESIZE = 256;
    private static final int CROP = 224;
    static final int CROP_SIZE = CROP;

    public static Profile parse(String text) {
        if (text == null || text.isBlank()) {
            return CSE546;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile must be cse546 or imagenet, not '" + text + "'");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code v / 255f} for every 8-bit value, as ToTensor divides: the same floats, without a division per sample. */
    private static final float[] UNIT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            UNIT[v] = v / 255f;
        }
    }

    /** The tensor for one decoded image, with its height and width. */
    record Tensor(float[] chw, int height, int width) {}

    /** 8-bit RGB pixels, packed {@code 0xRRGGBB}, row by row. */
    record Pixels(int[] rgb, int width, int height) {}

    /** The tensor for decoded 8-bit RGB pixels ({@link PilDecoder#decode}). */
    Tensor prepare(Pixels pixels) {
        if (this == IMAGENET) {
            pixels = resizeAndCrop(pixels);
        }
        int h = pixels.height();
        int w = pixels.width();
        int plane = h * w;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int rgb = pixels.rgb()[i];
            chw[i] = UNIT[(rgb >> 16) & 0xFF];
            chw[plane + i] = UNIT[(rgb >> 8) & 0xFF];
            chw[2 * plane + i] = UNIT[rgb & 0xFF];
        }
        if (this == IMAGENET) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    chw[c * plane + i] = (chw[c * plane + i] - MEAN[c]) / STD[c];
                }
            }
        }
        return new Tensor(chw, h, w);
    }

    /**
     * The decoded image as 8-bit RGB with alpha dropped, the values PIL's {@code convert("RGB")}
     * gives. Grey images are read from the raster: {@code getRGB} would pass them through Java's
     * linear-grey-to-sRGB conversion (a grey level of 64 would come out as 137), which PIL does not do.
     */
    static Pixels rgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel model = image.getColorModel();
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)
                && model.getComponentSize(0) == 8) {
            Raster raster = image.getRaster();
            int[] grey = raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, 0, (int[]) null);
            for (int i = 0; i < grey.length; i++) {
                grey[i] *= 0x010101;
            }
            return new Pixels(grey, w, h);
        }
        int[] rgb = interleavedSrgb(image);
        if (rgb == null) {
            rgb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] &= 0xFFFFFF;
            }
        }
        return new Pixels(rgb, w, h);
    }

    /**
     * 8-bit sRGB without alpha, interleaved in one byte array (what ImageIO's JPEG reader gives, as
     * {@code TYPE_3BYTE_BGR}), read straight from the bytes; null for any other layout. The values are
     * the ones {@code getRGB} gives, but {@code getRGB} goes through the colour model pixel by pixel:
     * with the worker's C1-only JIT, 1.5 s per hundred 640x480 JPEGs against 0.35 s read here.
     */
    static int[] interleavedSrgb(BufferedImage image) {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (!(model instanceof ComponentColorModel) || model.hasAlpha() || !model.getColorSpace().isCS_sRGB()
                || model.getNumComponents() != 3 || model.getTransferType() != DataBuffer.TYPE_BYTE
                || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel layout)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1) {
            return null;
        }
        for (int c = 0; c < 3; c++) {
            if (model.getComponentSize(c) != 8) {
                return null;
            }
        }
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] data = buffer.getData();
        int stride = layout.getPixelStride();
        int scanline = layout.getScanlineStride();
        int[] band = layout.getBandOffsets();
        int origin = buffer.getOffset() - raster.getSampleModelTranslateY() * scanline - raster.getSampleModelTranslateX() * stride;
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            int at = origin + y * scanline;
            for (int x = 0; x < w; x++, at += stride) {
                rgb[y * w + x] = (data[at + band[0]] & 0xFF) << 16 | (data[at + band[1]] & 0xFF) << 8 | (data[at + band[2]] & 0xFF);
            }
        }
        return rgb;
    }

    /**
     * torchvision's {@code Resize(256)} then {@code CenterCrop(224)} on a PIL image, with its arithmetic:
     * the longer side becomes {@code int(256 * long / short)} (truncated, not rounded), the resize is
     * Pillow's antialiased bilinear ({@link PilResize}), and the crop offset is Python's
     * {@code round((size - 224) / 2)}, which rounds halves to even.
     */
    /** Pixels of the resized image {@link #resizeAndCrop} makes before it crops, for an image of {@code w x h}. */
    static long resizedPixels(int w, int h) {
        return w <= h ? (long) RESIZE * (long) ((double) RESIZE * h / w) : (long) RESIZE * (long) ((double) RESIZE * w / h);
    }

    Pixels resizeAndCrop(Pixels pixels) {
        int w = pixels.width();
        int h = pixels.height();
        int rw;
        int rh;
        if (w <= h) {
            rw = RESIZE;
            rh = (int) ((double) RESIZE * h / w);
        } else {
            rh = RESIZE;
            rw = (int) ((double) RESIZE * w / h);
        }
        int[] resized = PilResize.resize(pixels.rgb(), w, h, rw, rh);
        int left = (int) Math.rint((rw - CROP) / 2.0);
        int top = (int) Math.rint((rh - CROP) / 2.0);
        int[] crop = new int[CROP * CROP];
        for (int y = 0; y < CROP; y++) {
            System.arraycopy(resized, (top + y) * rw + left, crop, y * CROP, CROP);
        }
        return new Pixels(crop, CROP, CROP);
    }
}
