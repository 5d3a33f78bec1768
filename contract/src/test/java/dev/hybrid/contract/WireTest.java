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
    void s3LayoutFollowsTheCourseConvention() {
        assertEquals("test_0.JPEG", S3Layout.inputKey("test_0.JPEG"));
        assertEquals("test_0", S3Layout.outputKey("test_0.JPEG"));
        assertEquals("noext", S3Layout.outputKey("noext"));
        assertEquals(".hidden", S3Layout.outputKey(".hidden"));
        assertEquals("cache/abc", S3Layout.cacheKey("abc"));
    }
}
