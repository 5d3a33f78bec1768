package dev.hybrid.web.scaling;

import dev.hybrid.contract.EnvNames;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A worker's settings under the environment variable names both tiers use. Credentials have no setter on
 * purpose: workers inherit the web tier's environment and find them through the AWS default chain.
 */
public final class WorkerEnvironment {
    private final Map<String, String> variables = new LinkedHashMap<>();

    public WorkerEnvironment requestQueueUrl(String url) {
        return put(EnvNames.REQUEST_QUEUE_URL, url);
    }

    public WorkerEnvironment responseQueueUrl(String url) {
        return put(EnvNames.RESPONSE_QUEUE_URL, url);
    }

    public WorkerEnvironment inputBucket(String bucket) {
        return put(EnvNames.INPUT_BUCKET, bucket);
    }

    public WorkerEnvironment outputBucket(String bucket) {
        return put(EnvNames.OUTPUT_BUCKET, bucket);
    }

    public WorkerEnvironment region(String region) {
        return put("AWS_REGION", region);
    }

    public WorkerEnvironment sqsEndpoint(URI endpoint) {
        return put("AWS_ENDPOINT_URL_SQS", endpoint == null ? null : endpoint.toString());
    }

    public WorkerEnvironment s3Endpoint(URI endpoint) {
        return put("AWS_ENDPOINT_URL_S3", endpoint == null ? null : endpoint.toString());
    }

    public WorkerEnvironment s3PathStyle(boolean pathStyle) {
        return put(EnvNames.S3_PATH_STYLE, pathStyle ? "true" : null);
    }

    public WorkerEnvironment model(String url) {
        return put(EnvNames.MODEL_URL, url);
    }

    public WorkerEnvironment labels(String labels) {
        return put(EnvNames.MODEL_LABELS, labels);
    }

    public WorkerEnvironment profile(String profile) {
        return put(EnvNames.MODEL_PROFILE, profile);
    }

    /** Unset values are left out, so the worker falls back to what it inherits or its own default. */
    private WorkerEnvironment put(String name, String value) {
        if (value == null || value.isBlank()) {
            variables.remove(name);
        } else {
            variables.put(name, value);
        }
        return this;
    }

    public Map<String, String> toMap() {
        return Map.copyOf(variables);
    }
}
