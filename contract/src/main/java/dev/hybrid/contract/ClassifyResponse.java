package dev.hybrid.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a worker puts on the response queue for one request: a label with its top-5,
 * or an error. The web tier matches it to the waiting HTTP request by {@code requestId}.
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
        ErrorInfo error) {

    public static ClassifyResponse success(ClassifyRequest request, List<Prediction> top5, String modelId,
                                           String workerId, Timings timings) {
        return new ClassifyResponse(request.requestId(), request.name(), request.sha256(),
                top5.get(0).label(), List.copyOf(top5), modelId, workerId, timings, null);
    }

    public static ClassifyResponse failure(ClassifyRequest request, String modelId, String workerId,
                                           String code, String message) {
        return new ClassifyResponse(request.requestId(), request.name(), request.sha256(),
                null, null, modelId, workerId, null, new ErrorInfo(code, message));
    }

    @JsonIgnore
    public boolean failed() {
        return error != null;
    }
}
