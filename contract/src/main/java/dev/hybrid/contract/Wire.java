package dev.hybrid.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** JSON encoding of the messages, and the size rule that decides inline versus claim check. */
public final class Wire {
    /** SQS refuses message bodies over 256 KiB. */
    public static final int SQS_MAX_MESSAGE_BYTES = 256 * 1024;
    /** Room kept for the JSON envelope around the base64 bytes. */
    private static final int ENVELOPE_ALLOWANCE = 2 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Wire() {}

    /** Whether an image of this many bytes, base64-encoded, still fits one SQS message. */
    public static boolean fitsInline(int imageBytes) {
        long base64Length = 4L * ((imageBytes + 2) / 3);
        return base64Length + ENVELOPE_ALLOWANCE <= SQS_MAX_MESSAGE_BYTES;
    }

    public static String encodeImage(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static byte[] decodeImage(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    public static String toJson(Object message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public static ClassifyRequest request(String json) {
        return read(json, ClassifyRequest.class);
    }

    public static ClassifyResponse response(String json) {
        return read(json, ClassifyResponse.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A queue message that is not valid for the contract; it is dropped and counted, not retried. */
    public static final class MalformedMessageException extends RuntimeException {
        public MalformedMessageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
