package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerEnvironmentTest {

    @Test
    void usesTheSharedVariableNamesAndLeavesUnsetValuesOut() {
        Map<String, String> environment = new WorkerEnvironment()
                .requestQueueUrl("http://127.0.0.1:9324/000000000000/requests")
                .responseQueueUrl("http://127.0.0.1:9324/000000000000/responses")
                .inputBucket("in")
                .outputBucket("out")
                .region("us-east-1")
                .sqsEndpoint(URI.create("http://127.0.0.1:9324"))
                .s3Endpoint(URI.create("http://127.0.0.1:9000"))
                .s3PathStyle(true)
                .model(null)
                .labels("")
                .profile("cse546")
                .toMap();

        assertEquals(Map.of(
                "HYBRID_REQUEST_QUEUE_URL", "http://127.0.0.1:9324/000000000000/requests",
                "HYBRID_RESPONSE_QUEUE_URL", "http://127.0.0.1:9324/000000000000/responses",
                "HYBRID_INPUT_BUCKET", "in",
                "HYBRID_OUTPUT_BUCKET", "out",
                "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000",
                "HYBRID_S3_PATH_STYLE", "true",
                "HYBRID_MODEL_PROFILE", "cse546"), environment);
    }
}
