package dev.hybrid.worker.model;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
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
            chw[i] = ((rgb >> 16) & 0xFF) / 255f;
            chw[plane + i] = ((rgb >> 8) & 0xFF) / 255f;
            chw[2 * plane + i] = (rgb & 0xFF) / 255f;
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
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xFFFFFF;
        }
        return new Pixels(rgb, w, h);
    }

    /**
     * torchvision's {@code Resize(256)} then {@code CenterCrop(224)} on a PIL image, with its arithmetic:
     * the longer side becomes {@code int(256 * long / short)} (truncated, not rounded), the resize is
     * Pillow's antialiased bilinear ({@link PilResize}), and the crop offset is Python's
     * {@code round((size - 224) / 2)}, which rounds halves to even.
     */
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
