package dev.hybrid.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code POST /} and {@code POST /classify} on Jetty's own request API, in front of Javalin's
 * servlet, which serves everything else. A cached upload is the hot path of the web tier, and the
 * servlet layer around it (request wrappers, servlet multipart parts, async dispatch, Javalin's
 * context) cost several times the work of the answer itself: here the body is read into one
 * array, its single file part is cut out ({@link MultipartUpload}), and the answer is written
 * when the broker's future completes, at once for a cache hit. No thread waits for a reply.
 */
final class UploadHandler extends Handler.Wrapper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    private static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    /** Room for the multipart framing and other form fields around an image of the maximum size. */
    static final int FORM_OVERHEAD_BYTES = 1024 * 1024;

    private final WebConfig config;
    private final RequestBroker broker;
    private final Metrics metrics;
    private final Runnable onArrival;
    private final int maxBodyBytes;
    private final BodyBudget budget;

    UploadHandler(WebConfig config, RequestBroker broker, Metrics metrics, Runnable onArrival, BodyBudget budget) {
        this.config = config;
        this.broker = broker;
        this.metrics = metrics;
        this.onArrival = onArrival;
        this.maxBodyBytes = maxBodyBytes(config);
        this.budget = budget;
    }

    /** The largest body an upload may have: the image limit and room for the form around it. */
    static int maxBodyBytes(WebConfig config) {
        return (int) Math.min(Integer.MAX_VALUE - 16, config.maxImageBytes() + FORM_OVERHEAD_BYTES);
    }

    static boolean isUploadPath(String path) {
        return "/".equals(path) || "/classify".equals(path) || "/classify/".equals(path);
    }

    /** The methods a path answers, for 405's {@code Allow}: the page and uploads on {@code /}, uploads alone on {@code /classify}. */
    private static String allowed(String path) {
        return "/".equals(path) ? "GET, HEAD, POST" : "POST";
    }

    /**
     * Non-blocking, so Jetty runs an upload on the thread that read it (its selector, when the whole
     * request came in one read) instead of handing each request to another thread: on two cores the
     * hand-off and its context switches cost about as much as answering from the cache. Nothing here
     * blocks: the body is read with demand callbacks, a cache miss goes on through the broker's
     * executor, and a body that needs more than one read continues on a pool thread (the demand
     * callback is blocking-typed), so hashing a large image never holds the selector.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        boolean upload = isUploadPath(path);
        if (upload && !HttpMethod.POST.is(method) && !("/".equals(path) && (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)))) {
            notAllowed(request, response, callback, path);
            return true;
        }
        if (!upload || !HttpMethod.POST.is(method)) {
            // Javalin's servlet may block (health checks call SQS and S3): never on this thread.
            getServer().getThreadPool().execute(() -> delegate(request, response, callback));
            return true;
        }
        Exchange exchange = new Exchange(request, response, callback);
        try {
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (!MultipartUpload.isMultipartFormData(contentType)) {
                throw new Rejection(400, "send the image as multipart/form-data with one file part (e.g. curl -F myfile=@image.jpg)");
            }
            long declared = request.getLength();
            if (declared > maxBodyBytes) {
                throw tooLarge();
            }
            exchange.contentType = contentType;
            exchange.declared = declared;
            // The whole declared body is reserved before a byte of it is read; the array is made when bytes arrive.
            exchange.reserve(declared >= 0 ? declared : INITIAL_CHUNKED_BYTES);
            exchange.run();
        } catch (Rejection rejection) {
            exchange.reject(rejection);
        }
        return true;
    }

    /** 405 with {@code Allow}; {@code OPTIONS} gets the same list with 204. */
    private void notAllowed(Request request, Response response, Callback callback, String path) {
        boolean options = HttpMethod.OPTIONS.is(request.getMethod());
        response.setStatus(options ? 204 : 405);
        response.getHeaders().put(HttpHeader.ALLOW, allowed(path));
        if (options) {
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put(TEXT);
        String allow = allowed(path);
        int last = allow.lastIndexOf(", ");
        String text = request.getMethod() + " is not allowed on " + path + ": use "
                + (last < 0 ? allow : allow.substring(0, last) + " or " + allow.substring(last + 2)) + "\n";
        response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private void delegate(Request request, Response response, Callback callback) {
        try {
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, 404);
            }
        } catch (Throwable e) {
            Response.writeError(request, response, callback, e);
        }
    }

    private long idleTimeoutMillis() {
        return getServer() == null ? 0 : java.util.Arrays.stream(getServer().getConnectors())
                .mapToLong(org.eclipse.jetty.server.Connector::getIdleTimeout).max().orElse(0);
    }

    private Rejection tooLarge() {
        return new Rejection(413, "image too large: the limit is " + config.maxImageBytes() + " bytes");
    }

    private Rejection budgetSpent() {
        return new Rejection(503, "too many uploads arriving at once (" + (budget.usedBytes() >> 20) + " of "
                + (budget.capacityBytes() >> 20) + " MiB of upload memory in use); try again shortly", "5");
    }

    /** A chunked body, whose length is unknown, starts with this much and doubles. */
    private static final int INITIAL_CHUNKED_BYTES = 8192;

    /** One upload: reads the body as it arrives (a Jetty demand callback), then answers once. */
    private final class Exchange implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final long started = System.nanoTime();
        /** The bytes of {@link #budget} this upload holds, from before its body is read until nothing holds them. */
        private final BodyBudget.Reservation reservation = budget.reservation();
        private String contentType;
        private long declared = -1;
        private byte[] body;
        private int size;
        /** Set by the one write of the answer; a second (after a failure while writing) is dropped. */
        private final AtomicBoolean answered = new AtomicBoolean();

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void reserve(long bytes) {
            if (!reservation.cover(bytes)) {
                throw budgetSpent();
            }
        }

        /** Room for {@code needed} bytes in {@link #body}, reserved before it is allocated. */
        private void ensureCapacity(int needed) {
            if (body != null && needed <= body.length) {
                return;
            }
            int capacity;
            if (body == null && declared >= 0 && needed <= declared) {
                capacity = (int) declared;
            } else {
                long grown = body == null ? INITIAL_CHUNKED_BYTES : 2L * body.length;
                capacity = (int) Math.min(maxBodyBytes, Math.max(needed, grown));
            }
            reserve(capacity);
            body = body == null ? new byte[capacity] : Arrays.copyOf(body, capacity);
        }

        /** Reads what has arrived; asks to be called again when more can be read. */
        @Override
        public void run() {
            try {
                while (true) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        Throwable failure = chunk.getFailure();
                        if (failure instanceof java.util.concurrent.TimeoutException) {
                            reject(new Rejection(408, "the upload stalled: no bytes arrived for " + (idleTimeoutMillis() / 1000)
                                    + " s; send the whole body without pausing"));
                        } else {
                            reject(new Rejection(400, "the upload broke off before its end"
                                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage())));
                        }
                        return;
                    }
                    ByteBuffer bytes = chunk.getByteBuffer();
                    int n = bytes.remaining();
                    if (n > maxBodyBytes - size) {
                        chunk.release();
                        throw tooLarge();
                    }
                    try {
                        ensureCapacity(size + n);
                    } catch (Rejection rejection) {
                        chunk.release();
                        throw rejection;
                    }
                    bytes.get(body, size, n);
                    size += n;
                    boolean last = chunk.isLast();
                    chunk.release();
                    if (last) {
                        upload();
                        return;
                    }
                }
            } catch (Rejection rejection) {
                reject(rejection);
            } catch (RuntimeException e) {
                reject(new Rejection(500, "internal error: " + RequestBroker.rootMessage(e)));
            }
        }

        private void upload() {
            MultipartUpload.FilePart file = MultipartUpload.onlyFile(contentType, body == null ? new byte[0] : body, size);
            body = null;
            byte[] image = file.content();
            if (image.length > config.maxImageBytes()) {
                throw new Rejection(413, "image too large: " + image.length + " bytes, the limit is " + config.maxImageBytes());
            }
            if (ImageSniffer.isWebp(image)) {
                throw new Rejection(415, "WebP is not supported: send JPEG, PNG, GIF or BMP bytes");
            }
            if (image.length == 0 || !ImageSniffer.looksLikeImage(image)) {
                throw new Rejection(415, "not an image: send JPEG, PNG, GIF or BMP bytes");
            }
            String name = file.fileName().isBlank() ? "upload" : file.fileName();
            boolean json = wantsJson();
            // The reservation lasts while the broker still holds the image (until its message is sent), not until the reply.
            CompletableFuture<Outcome> answer = broker.submit(name, image, HttpApi.sha256(image), reservation::release);
            if (!answer.isDone()) {
                // A cache hit adds no work: waking the autoscaler for it kept it asking SQS back to back under load.
                onArrival.run();
            }
            // A cache hit is already complete: this answers on the calling thread, right now.
            answer.whenComplete((outcome, error) -> {
                try {
                    if (error == null) {
                        answer(name, outcome, json);
                    } else {
                        failed(error);
                    }
                } catch (RuntimeException e) {
                    reject(new Rejection(500, "internal error: " + RequestBroker.rootMessage(e)));
                }
            });
        }

        private void failed(Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof Rejection rejection) {
                reject(rejection);
            } else if (RequestBroker.isTimeout(cause)) {
                reject(new Rejection(504, "no answer within " + config.deadline().toSeconds() + " s; try again later"));
            } else {
                reject(new Rejection(502, "classification failed: " + RequestBroker.rootMessage(cause)));
            }
        }

        private boolean wantsJson() {
            String query = request.getHttpURI().getQuery();
            if (query != null) {
                Fields fields = Request.extractQueryParameters(request);
                String reply = fields.getValue("reply");
                if (reply != null) {
                    return reply.equalsIgnoreCase("json");
                }
            }
            String accept = request.getHeaders().get(HttpHeader.ACCEPT);
            return accept != null && accept.contains("application/json");
        }

        private void answer(String name, Outcome outcome, boolean json) {
            ClassifyResponse result = outcome.response();
            if (result.failed()) {
                int status = switch (result.error().code()) {
                    case ErrorCode.UNDECODABLE_IMAGE -> 422;
                    case ErrorCode.IMAGE_TOO_LARGE -> 413;
                    default -> 502;
                };
                String reason = switch (status) {
                    case 422 -> "the image could not be decoded: ";
                    case 413 -> "the image is too large to classify: ";
                    default -> "classification failed: ";
                };
                reject(new Rejection(status, reason + result.error().message()));
                return;
            }
            if (json || config.reply() == ReplyFormat.JSON) {
                Map<String, Object> reply = new LinkedHashMap<>();
                reply.put("name", name);
                reply.put("label", result.label());
                reply.put("top5", result.top5());
                reply.put("modelId", result.modelId());
                reply.put("workerId", result.workerId());
                reply.put("requestId", result.requestId());
                reply.put("timings", result.timings());
                reply.put("cached", outcome.cached());
                write(200, JSON_TYPE, toJson(reply), null);
            } else {
                write(200, TEXT, config.reply().plain(name, result.label()), null);
            }
        }

        void reject(Rejection rejection) {
            write(rejection.status, TEXT, rejection.getMessage() + "\n", rejection.retryAfterSeconds);
        }

        private void write(int status, HttpField contentType, String text, String retryAfter) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            reservation.release();
            response.setStatus(status);
            HttpFields.Mutable headers = response.getHeaders();
            headers.put(contentType);
            if (retryAfter != null) {
                headers.put(HttpHeader.RETRY_AFTER, retryAfter);
            }
            metrics.recordUpload(status, started);
            response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
        }
    }

    private static String toJson(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
