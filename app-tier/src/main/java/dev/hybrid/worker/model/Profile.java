package dev.hybrid.worker.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/** How an image becomes the model's input tensor (float CHW). */
public enum Profile {
    /**
     * The CSE 546 course's reference classifier: the RGB image at its own size, values x/255 exactly
     * like torchvision's {@code ToTensor()}, no resize, no normalisation.
     */
    CSE546,
    /** Shorter side to 256 (bilinear), centre crop 224, ImageNet mean/std normalisation. */
    IMAGENET;

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

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

    Tensor prepare(BufferedImage image) {
        BufferedImage rgb = this == IMAGENET ? resizeAndCrop(image) : image;
        int h = rgb.getHeight();
        int w = rgb.getWidth();
        float[] chw = new float[3 * h * w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = rgb.getRGB(x, y);
                int i = y * w + x;
                chw[i] = ((argb >> 16) & 0xFF) / 255f;
                chw[plane + i] = ((argb >> 8) & 0xFF) / 255f;
                chw[2 * plane + i] = (argb & 0xFF) / 255f;
            }
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

    private static BufferedImage resizeAndCrop(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = 256.0 / Math.min(w, h);
        int rw = Math.max(224, (int) Math.round(w * scale));
        int rh = Math.max(224, (int) Math.round(h * scale));
        BufferedImage resized = new BufferedImage(rw, rh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, rw, rh, null);
        g.dispose();
        int left = (rw - 224) / 2;
        int top = (rh - 224) / 2;
        return resized.getSubimage(left, top, 224, 224);
    }
}
