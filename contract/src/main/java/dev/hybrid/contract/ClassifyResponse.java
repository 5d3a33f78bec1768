package dev.hybrid.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a worker puts on the response queue for one request: a label with its top-5,
 * or an error. The web tier matches it to the waiting HTTP request by {@code requestId}.
 * {@code engine} is the worker's engine check ({@link #ENGINE_VERIFIED}, {@link #ENGINE_SAFE_ISA},
 * {@link #ENGINE_UNCHECKED}, {@link #ENGINE_WRONG_LOGITS}); absent from workers that do not report it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassifyResponse(
        String requestId,
        String name,
        String sha256,
        String label,
        List<Prediction> top5,
        String modelId,
        String workerId,
        Timings timings,
        ErrorInfo error,
        String engine) {

    /** The engine computed the model's check input as the SSE4.1 reference did. */
    public static final String ENGINE_VERIFIED = "verified";
    /** The default instruction set computed wrong logits; the worker serves with oneDNN limited to SSE4.1. */
    public static final String ENGINE_SAFE_ISA = "safe-isa";
    /** The default instruction set computes wrong logits and the worker could not restart with the safe one. */
    public static final String ENGINE_WRONG_LOGITS = "wrong-logits";
    /** The check could not be made (the reference run failed); the worker serves with the default engine. */
    public static final String ENGINE_UNCHECKED = "unchecked";

    public static ClassifyResponse success(ClassifyRequest request, List<Prediction> top5, String modelId,
                                           String workerId, Timings timings) {
        return new ClassifyResponse(request.requestId(), request.name(), request.sha256(),
                top5.get(0).label(), List.copyOf(top5), modelId, workerId, timings, null, null);
    }

    public static ClassifyResponse failure(ClassifyRequest request, String modelId, String workerId,
                                           String code, String message) {
        return new ClassifyResponse(request.requestId(), request.name(), request.sha256(),
                null, null, modelId, workerId, null, new ErrorInfo(code, message), null);
    }

    /** This reply with the worker's engine check result. */
    public ClassifyResponse withEngine(String engine) {
        return new ClassifyResponse(requestId, name, sha256, label, top5, modelId, workerId, timings, error, engine);
    }

    @JsonIgnore
    public boolean failed() {
        return error != null;
    }
}
