package dev.hybrid.worker.model;

import java.awt.image.BufferedImage;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.Node;

/**
 * Image bytes to the 8-bit RGB pixels of Pillow 9.4's {@code Image.open(f).convert("RGB")}, the
 * input a PyTorch reference classifier sees. ImageIO decodes; where ImageIO's own conversion to RGB
 * differs from PIL's, the raw samples are converted here with PIL's rules:
 * <ul>
 *   <li>16-bit grey PNG: PIL opens it as mode {@code I} (the 16-bit value) and {@code convert("RGB")}
 *       clips it at 255 ({@code Convert.c i2rgb}): 0..255 pass unchanged, everything above is white.
 *       ImageIO would scale to 8 bits and convert linear grey to sRGB.</li>
 *   <li>16-bit grey+alpha, RGB and RGBA PNG: PIL's unpackers ({@code LA;16B}, {@code RGB;16B},
 *       {@code RGBA;16B}) keep the high byte, {@code v >> 8}. ImageIO's {@code getRGB} rounds
 *       {@code v * 255 / 65535}, one level higher on about half the values.</li>
 *   <li>4-component JPEG: JDK 17's reader makes a CMYK image of it, but with colours up to 74
 *       levels away from PIL's (it neither inverts Adobe CMYK nor uses PIL's formula). libjpeg (PIL's decoder)
 *       reads the components as YCCK when an Adobe APP14 marker says transform 2 (or any value
 *       but 0), else as CMYK, and converts YCCK to CMYK with its integer tables. PIL then inverts
 *       all four (it always assumes Adobe's inverted CMYK) and {@code convert("RGB")} computes
 *       {@code 255 - k - (c * (255 - k)) / 255} with rounding ({@code Convert.c cmyk2rgb}).
 *       {@link ImageReader#readRaster} gives the components as stored, with no colour conversion,
 *       so the same arithmetic is done here.</li>
 *   <li>16-bit BMP: PIL widens the 5- and 6-bit channels with {@code v * 255 / max} truncated,
 *       ImageIO rounds.</li>
 * </ul>
 * Everything else goes through ImageIO and {@link Profile#rgb(BufferedImage)}.
 */
final class PilDecoder {
    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";
    private static final String PNG_METADATA = "javax_imageio_png_1.0";
    /**
     * Pillow's {@code DecompressionBombError} threshold, {@code 2 * Image.MAX_IMAGE_PIXELS}: PIL
     * refuses larger images, so a PyTorch reference would too, and a header declaring them would
     * otherwise make us allocate gigabytes before finding out whether any image data follows.
     */
    static final long PIL_PIXEL_LIMIT = 2L * 89_478_485;

    private PilDecoder() {}

    /** The pixels, or an {@link IOException} whose message says in one line why there are none. */
    static Profile.Pixels decode(byte[] bytes) throws IOException {
        return decode(bytes, 1);
    }

    /** An image's size as its header declares it. */
    record Header(int width, int height) {
        long pixels() {
            return (long) width * height;
        }

        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    /**
     * The width and height the header declares, read without decoding a pixel (the PNG reader reads IHDR, the JPEG
     * reader the frame header), so that a small file declaring a huge image is refused before it costs memory.
     */
    static Header header(byte[] bytes) throws IOException {
        try (EndAwareInput input = new EndAwareInput(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new IOException("no reader recognises the bytes");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                checkPilLimit(reader.getWidth(0), reader.getHeight(0));
                return new Header(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * The pixels, every {@code subsampling}-th column of every {@code subsampling}-th row
     * ({@link ImageReadParam#setSourceSubsampling}: the reader keeps only those, so memory follows the result, not
     * the file's declared size). 1 is PIL's decode, pixel for pixel; more is for images the memory budget could not
     * decode whole, and is not what PIL would give.
     */
    static Profile.Pixels decode(byte[] bytes, int subsampling) throws IOException {
        // In memory: ImageIO.read(InputStream) would cache the stream in a temporary file.
        try (EndAwareInput input = new EndAwareInput(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new IOException("no reader recognises the bytes");
            }
            ImageReader reader = readers.next();
            // Only the chosen reader's requests count: a service provider's look at the first bytes is not decoding.
            input.endReached = false;
            try {
                reader.setInput(input, true, false);
                Profile.Pixels pixels;
                try {
                    pixels = read(reader, input, subsampling);
                } catch (IOException | RuntimeException e) {
                    if (input.endReached && !(e instanceof PixelLimitException)) {
                        throw truncated(reader, e.getMessage());
                    }
                    throw e;
                }
                if (input.endReached) {
                    throw truncated(reader, null);
                }
                return pixels;
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * The pixels of image 0. The end-of-data flag is cleared before the pixels are read: ImageIO's
     * JPEG metadata scans the file to its end and past it even when the file is whole. Reading the
     * metadata of a cut file fails instead (PNG), and that failure is reported as a truncation.
     */
    private static Profile.Pixels read(ImageReader reader, EndAwareInput input, int subsampling) throws IOException {
        checkPilLimit(reader.getWidth(0), reader.getHeight(0));
        ImageReadParam param = null;
        if (subsampling > 1) {
            param = reader.getDefaultReadParam();
            param.setSourceSubsampling(subsampling, subsampling, 0, 0);
        }
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        if (format.equals("jpeg") || format.equals("jpg")) {
            Node markers = child(nativeTree(reader, JPEG_METADATA), "markerSequence");
            if (markers != null && jpegComponents(markers) == 4) {
                input.endReached = false;
                return cmykToRgb(reader.readRaster(0, param), adobeTransform(markers) != 0);
            }
        } else if (format.equals("png")) {
            Node header = child(nativeTree(reader, PNG_METADATA), "IHDR");
            if (header != null && "16".equals(attribute(header, "bitDepth"))) {
                input.endReached = false;
                return png16ToRgb(reader.read(0, param).getRaster(), attribute(header, "colorType"));
            }
        }
        input.endReached = false;
        BufferedImage image = reader.read(0, param);
        if (format.equals("bmp") && image.getColorModel() instanceof DirectColorModel packed && narrowerThan8Bits(packed)) {
            return packedToRgb(image.getRaster(), packed);
        }
        return Profile.rgb(image);
    }

    private static boolean narrowerThan8Bits(DirectColorModel packed) {
        for (int b = 0; b < 3; b++) {
            if (packed.getComponentSize(b) < 8) {
                return true;
            }
        }
        return false;
    }

    /**
     * A 16-bit BMP's 5- or 6-bit channels widened as PIL's {@code BGR;15} and {@code BGR;16}
     * unpackers do, {@code v * 255 / max} truncated. ImageIO's {@code getRGB} rounds, one level
     * higher on most pixels. The raster's bands are the colour model's red, green, blue (alpha dropped).
     */
    static Profile.Pixels packedToRgb(Raster raster, DirectColorModel packed) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] rgb = new int[w * h];
        for (int b = 0; b < 3; b++) {
            int max = (1 << packed.getComponentSize(b)) - 1;
            int[] samples = raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, b, (int[]) null);
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] |= (samples[i] * 255 / max) << (16 - 8 * b);
            }
        }
        return new Profile.Pixels(rgb, w, h);
    }

    /**
     * PIL's refusal of a file that ends before its image does ({@code ImageFile.load}: "image file is
     * truncated"), in the same words. ImageIO's JPEG reader would instead pad the missing data with a
     * fake EOI marker, warn, and return an image grey or smeared below the cut.
     */
    private static IOException truncated(ImageReader reader, String readerMessage) throws IOException {
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        return new IOException("image file is truncated: the " + format + " data ends before the image does"
                + (readerMessage == null ? "" : " (" + readerMessage + ")"));
    }

    /** PIL's refusal of a header that declares more pixels than its decompression-bomb limit: undecodable, whatever the budget. */
    private static void checkPilLimit(int width, int height) throws PixelLimitException {
        long pixels = (long) width * height;
        if (pixels > PIL_PIXEL_LIMIT) {
            throw new PixelLimitException(width + "x" + height + " is " + pixels + " pixels, more than the " + PIL_PIXEL_LIMIT
                    + " PIL accepts");
        }
    }

    /** Thrown on the header alone, so never mistaken for a truncation when the data is absent too. */
    private static final class PixelLimitException extends IOException {
        PixelLimitException(String message) {
            super(message);
        }
    }

    /**
     * The bytes as an image stream that records whether a reader asked for a byte past the last one.
     * That is the condition PIL refuses on: its decoders ask for more data, get none, and
     * {@code ImageFile.load} raises "image file is truncated". It is also what makes ImageIO's JPEG
     * reader insert a fake EOI and warn "Truncated File - Missing EOI marker"; the request is
     * observed here rather than that warning's text, which is localised and which the PNG, GIF and
     * BMP readers do not give. A reader that stops at EOI or IEND never asks for the bytes after
     * them, so trailing data, which PIL ignores too, is not mistaken for a truncation.
     */
    private static final class EndAwareInput extends MemoryCacheImageInputStream {
        boolean endReached;

        EndAwareInput(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            endReached |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            endReached |= n < 0 && length > 0;
            return n;
        }
    }

    /**
     * A 16-bit PNG's samples as PIL converts them: grey (colour type 0, even with a tRNS chunk,
     * which ImageIO may turn into an alpha band) clipped at 255, grey+alpha and colour by their
     * high byte. Alpha is dropped, as {@code convert("RGB")} drops it.
     */
    static Profile.Pixels png16ToRgb(Raster raster, String colourType) throws IOException {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int x0 = raster.getMinX();
        int y0 = raster.getMinY();
        int[] rgb = new int[w * h];
        switch (colourType == null ? "" : colourType) {
            case "Grayscale" -> {
                int[] grey = raster.getSamples(x0, y0, w, h, 0, (int[]) null);
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] = Math.min(grey[i], 255) * 0x010101;
                }
            }
            case "GrayAlpha" -> {
                int[] grey = raster.getSamples(x0, y0, w, h, 0, (int[]) null);
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] = (grey[i] >> 8) * 0x010101;
                }
            }
            case "RGB", "RGBAlpha" -> {
                int[] red = raster.getSamples(x0, y0, w, h, 0, (int[]) null);
                int[] green = raster.getSamples(x0, y0, w, h, 1, (int[]) null);
                int[] blue = raster.getSamples(x0, y0, w, h, 2, (int[]) null);
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] = (red[i] >> 8) << 16 | (green[i] >> 8) << 8 | blue[i] >> 8;
                }
            }
            default -> throw new IOException("unsupported 16-bit PNG colour type " + colourType);
        }
        return new Profile.Pixels(rgb, w, h);
    }

    /**
     * The four components of a JPEG as libjpeg and PIL turn them into RGB: YCCK to CMYK first if
     * {@code ycck}, then PIL's inversion and {@code cmyk2rgb}.
     */
    static Profile.Pixels cmykToRgb(Raster raster, boolean ycck) throws IOException {
        if (raster.getNumBands() != 4) {
            throw new IOException("a 4-component JPEG decoded to " + raster.getNumBands() + " bands");
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int x0 = raster.getMinX();
        int y0 = raster.getMinY();
        int[][] bands = new int[4][];
        for (int b = 0; b < 4; b++) {
            bands[b] = raster.getSamples(x0, y0, w, h, b, (int[]) null);
        }
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            int c = bands[0][i];
            int m = bands[1][i];
            int y = bands[2][i];
            if (ycck) { // libjpeg's ycck_cmyk_convert; K passes through
                int luma = c;
                int cb = m;
                int cr = y;
                c = clip8(255 - (luma + YccTables.CR_R[cr]));
                m = clip8(255 - (luma + ((YccTables.CB_G[cb] + YccTables.CR_G[cr]) >> YccTables.SCALE_BITS)));
                y = clip8(255 - (luma + YccTables.CB_B[cb]));
            }
            // PIL's "CMYK;I" unpacker inverts every component; cmyk2rgb then works on the inverted
            // values with nk = 255 - k, which is the stored K itself.
            int nk = bands[3][i];
            rgb[i] = cmykChannel(255 - c, nk) << 16 | cmykChannel(255 - m, nk) << 8 | cmykChannel(255 - y, nk);
        }
        return new Profile.Pixels(rgb, w, h);
    }

    /** Pillow 9.4 {@code Convert.c cmyk2rgb}: {@code CLIP8(nk - MULDIV255(ink, nk))}. */
    private static int cmykChannel(int ink, int nk) {
        int product = ink * nk + 128;
        return clip8(nk - (((product >> 8) + product) >> 8));
    }

    private static int clip8(int value) {
        return value < 0 ? 0 : Math.min(value, 255);
    }

    /** libjpeg's {@code build_ycc_rgb_table} (jdcolor.c), the same in IJG 6b and libjpeg-turbo. */
    private static final class YccTables {
        static final int SCALE_BITS = 16;
        static final int[] CR_R = new int[256];
        static final int[] CB_B = new int[256];
        static final int[] CR_G = new int[256];
        static final int[] CB_G = new int[256];

        static {
            int half = 1 << (SCALE_BITS - 1);
            for (int i = 0; i < 256; i++) {
                int x = i - 128;
                CR_R[i] = (fix(1.40200) * x + half) >> SCALE_BITS;
                CB_B[i] = (fix(1.77200) * x + half) >> SCALE_BITS;
                CR_G[i] = -fix(0.71414) * x;
                CB_G[i] = -fix(0.34414) * x + half; // the rounding half of the green sum, added once here
            }
        }

        private static int fix(double value) {
            return (int) (value * (1 << SCALE_BITS) + 0.5);
        }
    }

    private static Node nativeTree(ImageReader reader, String format) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null) {
            return null;
        }
        for (String name : metadata.getMetadataFormatNames()) {
            if (name.equals(format)) {
                return metadata.getAsTree(format);
            }
        }
        return null;
    }

    private static int jpegComponents(Node markers) {
        Node frame = child(markers, "sof");
        String declared = frame == null ? null : attribute(frame, "numFrameComponents");
        return declared == null ? -1 : Integer.parseInt(declared);
    }

    /** The APP14 Adobe marker's transform (0 CMYK, 2 YCCK), 0 without the marker: libjpeg's reading. */
    private static int adobeTransform(Node markers) {
        Node adobe = child(markers, "app14Adobe");
        String transform = adobe == null ? null : attribute(adobe, "transform");
        return transform == null ? 0 : Integer.parseInt(transform);
    }

    private static Node child(Node node, String name) {
        if (node == null) {
            return null;
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (name.equals(c.getNodeName())) {
                return c;
            }
        }
        return null;
    }

    private static String attribute(Node node, String name) {
        Node value = node.getAttributes() == null ? null : node.getAttributes().getNamedItem(name);
        return value == null ? null : value.getNodeValue();
    }
}
