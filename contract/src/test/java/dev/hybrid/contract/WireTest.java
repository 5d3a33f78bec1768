package dev.hybrid.contract;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void requestRoundTripsThroughJson() {
        var request = new ClassifyRequest("id-1", "test_0.JPEG", "ab12", Wire.encodeImage(new byte[] {1, 2, 3}), null, 42L);
        var back = Wire.request(Wire.toJson(request));
        assertEquals(request, back);
        assertArrayEquals(new byte[] {1, 2, 3}, Wire.decodeImage(back.imageBase64()));
        assertTrue(back.inline());
    }

    @Test
    void claimCheckRequestOmitsInlineBytes() {
        var request = new ClassifyRequest("id-2", "big.png", "cd34", null, new S3Ref("in", "claim-check/id-2"), 7L);
        String json = Wire.toJson(request);
        assertFalse(json.contains("imageBase64"), json);
        assertEquals(request, Wire.request(json));
    }

    @Test
    void requestNeedsExactlyOneImageSource() {
        assertThrows(IllegalArgumentException.class, () -> new ClassifyRequest("i", "n", "s", null, null, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ClassifyRequest("i", "n", "s", "AA==", new S3Ref("b", "k"), 0));
    }

    @Test
    void responseRoundTripsSuccessAndFailure() {
        var request = new ClassifyRequest("id-3", "cat.png", "ef56", "AA==", null, 1L);
        var ok = ClassifyResponse.success(request, List.of(new Prediction("tabby cat", 0.9), new Prediction("tiger cat", 0.05)),
                "resnet18", "w-1", new Timings(12, 30));
        assertEquals(ok, Wire.response(Wire.toJson(ok)));
        assertEquals("tabby cat", ok.label());
        assertFalse(ok.failed());

        var bad = ClassifyResponse.failure(request, "resnet18", "w-1", ErrorCode.UNDECODABLE_IMAGE, "not an image");
        var back = Wire.response(Wire.toJson(bad));
        assertTrue(back.failed());
        assertEquals(ErrorCode.UNDECODABLE_IMAGE, back.error().code());
        assertNull(back.label());
    }

    @Test
    void malformedJsonIsReportedAsSuch() {
        assertThrows(Wire.MalformedMessageException.class, () -> Wire.response("{not json"));
    }

    @Test
    void inlineLimitKeepsTheMessageUnderSqsMaximum() {
        assertTrue(Wire.fitsInline(12_000));
        assertTrue(Wire.fitsInline(190_000));
        assertFalse(Wire.fitsInline(200_000));
        int largestInline = 0;
        for (int n = 180_000; n < 200_000; n++) {
            if (Wire.fitsInline(n)) largestInline = n;
        }
        assertTrue(4 * ((largestInline + 2) / 3) < Wire.SQS_MAX_MESSAGE_BYTES);
    }

    @Test
    void s3KeysAreTheRequestIdAndASafeBoundedName() {
        assertEquals("r1/test_0.JPEG", S3Layout.inputKey("r1", "test_0.JPEG"));
        assertEquals("r1/test_0", S3Layout.outputKey("r1", "test_0.JPEG"));
        assertEquals("r1/noext", S3Layout.outputKey("r1", "noext"));
        assertEquals("r1/hidden", S3Layout.outputKey("r1", ".hidden"));
        assertEquals("test_0", S3Layout.stem("test_0.JPEG"));
        assertEquals(".hidden", S3Layout.stem(".hidden"));
        assertEquals("cache/abc", S3Layout.cacheKey("abc"));
    }

    @Test
    void hostileNamesBecomeSafeKeys() {
        assertEquals("x.jpg", S3Layout.safeName("../../x.jpg"));
        assertEquals("x.jpg", S3Layout.safeName("C:\\fakepath\\x.jpg"));
        assertEquals("nul_byte.png", S3Layout.safeName("nul\0byte.png"));
        assertEquals("image", S3Layout.safeName(".."));
        assertEquals("image", S3Layout.safeName(""));
        assertEquals("image", S3Layout.safeName(null));
        assertEquals("caf___.png", S3Layout.safeName("caf\u00e9 \ud83d\udcf7.png"), "one _ per character, surrogate pairs included");
        String huge = S3Layout.safeName("a".repeat(5000) + ".png");
        assertEquals(S3Layout.MAX_NAME_CHARS, huge.length());
        assertTrue(huge.endsWith("a.png"), huge);
        assertEquals("r_1_.._x/x.jpg", S3Layout.inputKey("r/1/../x", "x.jpg"));
        for (String name : new String[] {"../../x.jpg", "nul\0byte.png", "a".repeat(5000), "\u00e9t\u00e9 \ud83d\udcf7.png", "a b?c#d%e&f"}) {
            String key = S3Layout.inputKey("5b0c6f7e-2f0e-4a7d-9a59-5c1f8f0e2a11", name);
            assertTrue(key.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*/[A-Za-z0-9_-][A-Za-z0-9._-]*") && key.length() <= 37 + S3Layout.MAX_NAME_CHARS, key);
        }
    }

    @Test
    void theOriginalNameGoesToMetadataPercentEncodedAndBounded() {
        assertEquals("nul%00byte.png", S3Layout.metadataName("nul\0byte.png"));
        assertEquals("..%2F..%2Fx.jpg", S3Layout.metadataName("../../x.jpg"));
        assertEquals("%C3%A9t%C3%A9+1.png", S3Layout.metadataName("\u00e9t\u00e9 1.png"));
        assertEquals("a".repeat(1024), S3Layout.metadataName("a".repeat(5000)));
        String cut = S3Layout.metadataName("a".repeat(1022) + "\u00e9\u00e9");
        assertEquals("a".repeat(1022), cut, "an escape is never cut in half");
    }
}
