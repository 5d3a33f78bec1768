package dev.hybrid.web;

/**
 * Recognises the image formats the workers decode by their first bytes, so that anything else is
 * refused before it is queued. WebP is recognised only to be refused with its own reason: no WebP
 * reader for ImageIO matches PIL's pixels (see docs/model.md).
 */
final class ImageSniffer {
    private ImageSniffer() {}

    static boolean looksLikeImage(byte[] b) {
        return starts(b, 0xFF, 0xD8, 0xFF)                                   // JPEG
                || starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)    // PNG
                || starts(b, 'G', 'I', 'F', '8')                              // GIF
                || starts(b, 'B', 'M');                                       // BMP
    }

    static boolean isWebp(byte[] b) {
        return starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
    }

    private static boolean starts(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
