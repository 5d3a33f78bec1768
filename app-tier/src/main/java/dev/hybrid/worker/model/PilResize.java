package dev.hybrid.worker.model;

import java.util.Arrays;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} on 8-bit RGB, bit for bit: a port of
 * {@code ImagingResample} in Pillow's {@code libImaging/Resample.c} (9.x), which is what
 * torchvision's {@code Resize} runs on a PIL image. Java2D's bilinear interpolation samples two
 * neighbours and does not antialias; Pillow convolves with a triangle filter whose support grows
 * with the downscale factor, normalises the weights, quantises them to 22-bit fixed point and
 * rounds to 8 bits after the horizontal pass and again after the vertical pass.
 */
final class PilResize {
    /** Pillow: {@code PRECISION_BITS = 32 - 8 - 2}, so 255 times a weight sum of one fits an int. */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    /** The bilinear (triangle) filter's support at scale one. */
    private static final double SUPPORT = 1.0;

    private PilResize() {}

    /** Weights for one axis: for output sample {@code i}, {@code count[i]} inputs from {@code first[i]}. */
    private record Coefficients(int[] first, int[] count, int[] weights, int ksize) {}

    private static double triangle(double x) {
        x = Math.abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}, for the whole input range. */
    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            // (int) truncates toward zero, as C's cast does; negative values are clamped just after.
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double sum = 0.0;
            for (int x = 0; x < xmax; x++) {
                k[x] = triangle((x + xmin - center + 0.5) * ss);
                sum += k[x];
            }
            for (int x = 0; x < xmax; x++) {
                double w = sum != 0.0 ? k[x] / sum : k[x];
                // Pillow rounds half away from zero; the triangle never gives negative weights, but keep the rule.
                weights[xx * ksize + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(first, count, weights, ksize);
    }

    /** Pillow's {@code clip8}: the fixed-point sum back to 0..255. */
    private static int clip8(int value) {
        if (value >= 1 << PRECISION_BITS << 8) {
            return 255;
        }
        if (value <= 0) {
            return 0;
        }
        return value >> PRECISION_BITS;
    }

    /** Resizes packed {@code 0xRRGGBB} pixels; returns a new array of {@code outWidth * outHeight}. */
    static int[] resize(int[] rgb, int width, int height, int outWidth, int outHeight) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("cannot resize to " + outWidth + "x" + outHeight);
        }
        int[] pixels = rgb;
        int w = width;
        if (outWidth != width) { // Pillow skips a pass whose size does not change
            pixels = horizontal(pixels, width, height, outWidth);
            w = outWidth;
        }
        if (outHeight != height) {
            pixels = vertical(pixels, w, height, outHeight);
        }
        return pixels == rgb ? rgb.clone() : pixels;
    }

    private static int[] horizontal(int[] in, int width, int height, int outWidth) {
        Coefficients c = coefficients(width, outWidth);
        int[] out = new int[outWidth * height];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int xx = 0; xx < outWidth; xx++) {
                int base = xx * c.ksize();
                int first = c.first()[xx];
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int x = 0; x < c.count()[xx]; x++) {
                    int p = in[row + first + x];
                    int k = c.weights()[base + x];
                    r += ((p >> 16) & 0xFF) * k;
                    g += ((p >> 8) & 0xFF) * k;
                    b += (p & 0xFF) * k;
                }
                out[y * outWidth + xx] = clip8(r) << 16 | clip8(g) << 8 | clip8(b);
            }
        }
        return out;
    }

    private static int[] vertical(int[] in, int width, int height, int outHeight) {
        Coefficients c = coefficients(height, outHeight);
        int[] out = new int[width * outHeight];
        // Sums for a whole output row, filled input row by input row: reads memory in order.
        int[] r = new int[width];
        int[] g = new int[width];
        int[] b = new int[width];
        for (int yy = 0; yy < outHeight; yy++) {
            Arrays.fill(r, 1 << (PRECISION_BITS - 1));
            Arrays.fill(g, 1 << (PRECISION_BITS - 1));
            Arrays.fill(b, 1 << (PRECISION_BITS - 1));
            int first = c.first()[yy];
            for (int y = 0; y < c.count()[yy]; y++) {
                int k = c.weights()[yy * c.ksize() + y];
                int row = (first + y) * width;
                for (int x = 0; x < width; x++) {
                    int p = in[row + x];
                    r[x] += ((p >> 16) & 0xFF) * k;
                    g[x] += ((p >> 8) & 0xFF) * k;
                    b[x] += (p & 0xFF) * k;
                }
            }
            for (int x = 0; x < width; x++) {
                out[yy * width + x] = clip8(r[x]) << 16 | clip8(g[x]) << 8 | clip8(b[x]);
            }
        }
        return out;
    }
}
