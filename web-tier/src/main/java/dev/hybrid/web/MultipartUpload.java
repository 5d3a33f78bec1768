package dev.hybrid.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The one file part of a multipart/form-data body that is already in memory. The servlet
 * multipart machinery (part objects, content sources, temp-file thresholds) cost more CPU than
 * the rest of a cached request together, and an upload here is a single bounded byte array, so
 * this reads the part straight out of it. A part is a file part when its Content-Disposition has
 * a {@code filename} parameter, under any field name; other fields are ignored.
 */
final class MultipartUpload {
    /** The uploaded file: its name as the client sent it ("" when it sent an empty one) and its bytes. */
    record FilePart(String fileName, byte[] content) {}

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] DASHES = {'-', '-'};

    private MultipartUpload() {
    }

    static boolean isMultipartFormData(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "multipart/form-data", 0, "multipart/form-data".length());
    }

    /** The boundary parameter of a multipart Content-Type, without quotes; null when there is none. */
    static String boundary(String contentType) {
        String value = parameter(contentType, "boundary");
        return value == null || value.isEmpty() || value.length() > 200 ? null : value;
    }

    /**
     * The single file part of {@code body[0, length)}; a {@link Rejection} with 400 when the body is
     * not well-formed multipart or does not hold exactly one file.
     */
    static FilePart onlyFile(String contentType, byte[] body, int length) {
        String boundary = boundary(contentType);
        if (boundary == null) {
            throw new Rejection(400, "malformed upload: the multipart/form-data Content-Type has no boundary");
        }
        byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first boundary may open the body or follow a preamble.
        int cursor;
        if (startsWith(body, 0, length, dashBoundary)) {
            cursor = dashBoundary.length;
        } else {
            int at = indexOf(body, 0, length, delimiter);
            if (at < 0) {
                throw malformed("no boundary line");
            }
            cursor = at + delimiter.length;
        }
        FilePart file = null;
        int files = 0;
        while (true) {
            if (startsWith(body, cursor, length, DASHES)) {
                break; // the close delimiter; anything after it is epilogue
            }
            cursor = skipTransportPadding(body, cursor, length);
            if (!startsWith(body, cursor, length, CRLF)) {
                throw malformed("a boundary line does not end with CRLF");
            }
            cursor += 2;
            int headersEnd = startsWith(body, cursor, length, CRLF) ? cursor : indexOf(body, cursor, length, HEADERS_END);
            if (headersEnd < 0) {
                throw malformed("a part's headers do not end");
            }
            String fileName = fileName(new String(body, cursor, headersEnd - cursor, StandardCharsets.UTF_8));
            int contentStart = headersEnd + (headersEnd == cursor ? 2 : 4);
            int contentEnd = indexOf(body, contentStart, length, delimiter);
            if (contentEnd < 0) {
                throw malformed("the body ends inside a part (no closing boundary)");
            }
            if (fileName != null) {
                files++;
                if (file == null) {
                    file = new FilePart(fileName, Arrays.copyOfRange(body, contentStart, contentEnd));
                }
            }
            cursor = contentEnd + delimiter.length;
        }
        if (files == 0) {
            throw new Rejection(400, "no file part in the form: send exactly one file (any field name)");
        }
        if (files > 1) {
            throw new Rejection(400, "send exactly one file per request, not " + files);
        }
        return file;
    }

    /** The filename parameter of the part's Content-Disposition; null when it is not a file part. */
    static String fileName(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
                return parameter(line.substring(colon + 1), "filename");
            }
        }
        return null;
    }

    /** A parameter of a header value ({@code type; a=1; b="two"}), unquoted; null when absent. */
    static String parameter(String headerValue, String name) {
        if (headerValue == null) {
            return null;
        }
        int i = headerValue.indexOf(';');
        while (i >= 0 && i < headerValue.length()) {
            int start = i + 1;
            int eq = headerValue.indexOf('=', start);
            if (eq < 0) {
                return null;
            }
            String key = headerValue.substring(start, eq).trim().toLowerCase(Locale.ROOT);
            int valueStart = eq + 1;
            while (valueStart < headerValue.length() && headerValue.charAt(valueStart) == ' ') {
                valueStart++;
            }
            String value;
            int next;
            if (valueStart < headerValue.length() && headerValue.charAt(valueStart) == '"') {
                StringBuilder quoted = new StringBuilder();
                int j = valueStart + 1;
                while (j < headerValue.length() && headerValue.charAt(j) != '"') {
                    // Only \" is an escape: browsers send Windows paths with bare backslashes.
                    if (headerValue.charAt(j) == '\\' && j + 1 < headerValue.length() && headerValue.charAt(j + 1) == '"') {
                        j++;
                    }
                    quoted.append(headerValue.charAt(j++));
                }
                value = quoted.toString();
                next = headerValue.indexOf(';', j);
            } else {
                next = headerValue.indexOf(';', valueStart);
                value = headerValue.substring(valueStart, next < 0 ? headerValue.length() : next).trim();
            }
            if (key.equals(name)) {
                return value;
            }
            i = next;
        }
        return null;
    }

    private static Rejection malformed(String why) {
        return new Rejection(400, "malformed multipart/form-data body: " + why);
    }

    /** RFC 2046 allows spaces and tabs between a boundary and its line end. */
    private static int skipTransportPadding(byte[] body, int from, int length) {
        int i = from;
        while (i < length && (body[i] == ' ' || body[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean startsWith(byte[] body, int from, int length, byte[] prefix) {
        if (from + prefix.length > length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] body, int from, int length, byte[] needle) {
        byte first = needle[0];
        int last = length - needle.length;
        for (int i = from; i <= last; i++) {
            if (body[i] == first && startsWith(body, i, length, needle)) {
                return i;
            }
        }
        return -1;
    }
}
