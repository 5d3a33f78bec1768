package dev.hybrid.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartUploadTest {
    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static MultipartUpload.FilePart parse(String type, byte[] body) {
        return MultipartUpload.onlyFile(type, body, body.length);
    }

    @Test
    void cutsOutTheFilePartUnderAnyFieldNameAndIgnoresOtherFields() {
        byte[] image = new byte[5000];
        new Random(7).nextBytes(image);
        image[100] = '\r'; // a CR LF and dashes inside the content are not a boundary
        image[101] = '\n';
        image[102] = '-';
        image[103] = '-';
        byte[] body = concat(bytes("--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                        + "--XyZ\r\ncontent-disposition: form-data; name=\"inputFile\"; filename=\"test_0.JPEG\"\r\n"
                        + "Content-Type: image/jpeg\r\n\r\n"),
                image, bytes("\r\n--XyZ--\r\n"));
        MultipartUpload.FilePart file = parse(TYPE, body);
        assertEquals("test_0.JPEG", file.fileName());
        assertArrayEquals(image, file.content());
    }

    @Test
    void readsOnlyTheGivenLengthOfAnOversizedArray() {
        byte[] body = bytes("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.png\"\r\n\r\nPNG!\r\n--XyZ--\r\n");
        byte[] padded = java.util.Arrays.copyOf(body, body.length + 100);
        MultipartUpload.FilePart file = MultipartUpload.onlyFile(TYPE, padded, body.length);
        assertArrayEquals(bytes("PNG!"), file.content());
        assertThrows(Rejection.class, () -> MultipartUpload.onlyFile(TYPE, padded, body.length - 10), "cut before the close delimiter");
    }

    @Test
    void acceptsAPreambleQuotedBoundaryAndPartWithoutHeaders() {
        String type = "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c\"";
        byte[] body = bytes("preamble text\r\n--a b:c\r\nContent-Disposition: form-data; name=f; filename=x.gif\r\n\r\nGIF89a\r\n"
                + "--a b:c\r\n\r\nno headers: not a file\r\n--a b:c--");
        MultipartUpload.FilePart file = parse(type, body);
        assertEquals("x.gif", file.fileName());
        assertArrayEquals(bytes("GIF89a"), file.content());
    }

    @Test
    void keepsAnEmptyFileNameAndEmptyContentForTheCallerToJudge() {
        byte[] body = bytes("--XyZ\r\nContent-Disposition: form-data; name=\"myfile\"; filename=\"\"\r\n\r\n\r\n--XyZ--\r\n");
        MultipartUpload.FilePart file = parse(TYPE, body);
        assertEquals("", file.fileName());
        assertEquals(0, file.content().length);
    }

    @Test
    void noFileOrTwoFilesOrBrokenFramingAre400WithOneLine() {
        Rejection none = assertThrows(Rejection.class, () -> parse(TYPE,
                bytes("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--\r\n")));
        assertEquals(400, none.status);
        assertEquals("no file part in the form: send exactly one file (any field name)", none.getMessage());

        Rejection two = assertThrows(Rejection.class, () -> parse(TYPE,
                bytes("--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"1.png\"\r\n\r\nv\r\n"
                        + "--XyZ\r\nContent-Disposition: form-data; name=\"b\"; filename=\"2.png\"\r\n\r\nw\r\n--XyZ--\r\n")));
        assertEquals(400, two.status);
        assertEquals("send exactly one file per request, not 2", two.getMessage());

        for (String broken : new String[] {"", "no boundary here", "--XyZ\r\nContent-Disposition: form-data; filename=a",
                "--XyZ\r\nContent-Disposition: form-data; filename=a\r\n\r\nunterminated", "--XyZ junk"}) {
            Rejection e = assertThrows(Rejection.class, () -> parse(TYPE, bytes(broken)), broken);
            assertEquals(400, e.status, broken);
            assertTrue(e.getMessage().startsWith("malformed multipart/form-data body: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        Rejection noBoundary = assertThrows(Rejection.class, () -> parse("multipart/form-data", bytes("--XyZ--")));
        assertEquals(400, noBoundary.status);
    }

    @Test
    void headerParametersAreCaseInsensitiveAndUnquoted() {
        assertEquals("XyZ", MultipartUpload.boundary(TYPE));
        assertNull(MultipartUpload.boundary("multipart/form-data"));
        assertEquals("C:\\dir\\a \"b\".png", MultipartUpload.parameter("form-data; name=\"f\"; FileName=\"C:\\dir\\a \\\"b\\\".png\"", "filename"));
        assertEquals("a;b.png", MultipartUpload.parameter("form-data; filename=\"a;b.png\"; name=f", "filename"));
        assertEquals("f", MultipartUpload.parameter("form-data; filename=\"a;b.png\"; name=f", "name"));
        assertNull(MultipartUpload.fileName("Content-Disposition: form-data; name=\"field\"\r\nContent-Type: text/plain"));
        assertTrue(MultipartUpload.isMultipartFormData("MULTIPART/FORM-DATA; boundary=x"));
        assertFalse(MultipartUpload.isMultipartFormData("text/plain"));
        assertFalse(MultipartUpload.isMultipartFormData(null));
    }
}
