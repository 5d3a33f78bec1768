package dev.hybrid.contract;

/** Error codes a worker may answer with; the web tier maps each to an HTTP status. */
public final class ErrorCode {
    /** The bytes are not an image the worker can decode: HTTP 422, never retried. */
    public static final String UNDECODABLE_IMAGE = "UNDECODABLE_IMAGE";
    /**
     * The image is larger, in pixels, than the worker's memory budget lets it classify; the message names the
     * limit. HTTP 413, never retried.
     */
    public static final String IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE";
    /** The claim-checked object could not be read from S3. */
    public static final String IMAGE_NOT_FOUND = "IMAGE_NOT_FOUND";
    /** Anything else that went wrong on the worker for this one image. */
    public static final String INTERNAL = "INTERNAL";

    private ErrorCode() {}
}
