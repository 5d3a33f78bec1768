package dev.hybrid.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the web tier puts on the request queue. Exactly one of {@code imageBase64} and
 * {@code claimCheck} is set: the bytes travel inline while the message fits SQS's limit,
 * otherwise they wait in S3 and the message carries where.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassifyRequest(
        String requestId,
        String name,
        String sha256,
        String imageBase64,
        S3Ref claimCheck,
        long sentAtMillis) {

    public ClassifyRequest {
        if ((imageBase64 == null) == (claimCheck == null)) {
            throw new IllegalArgumentException("a request carries either inline bytes or a claim check, not both or neither");
        }
    }

    public boolean inline() {
        return imageBase64 != null;
    }
}
