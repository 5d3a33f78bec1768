package dev.hybrid.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Whether SQS and S3 answer, checked at most every two seconds, and what model and engine check the workers report. */
final class Health {
    private static final long CACHE_MILLIS = 2000;

    private final SqsClient sqs;
    private final S3Client s3;
    private final WebConfig config;
    private final Supplier<String> lastModelId;
    private final Supplier<String> lastEngine;
    private volatile long checkedAt;
    private volatile String sqsStatus = "unknown";
    private volatile String s3Status = "unknown";

    Health(SqsClient sqs, S3Client s3, WebConfig config, Supplier<String> lastModelId, Supplier<String> lastEngine) {
        this.sqs = sqs;
        this.s3 = s3;
        this.config = config;
        this.lastModelId = lastModelId;
        this.lastEngine = lastEngine;
    }

    synchronized Map<String, Object> check() {
        if (System.currentTimeMillis() - checkedAt > CACHE_MILLIS) {
            sqsStatus = probe(() -> sqs.getQueueAttributes(b -> b.queueUrl(config.requestQueueUrl())));
            s3Status = probe(() -> s3.headBucket(b -> b.bucket(config.outputBucket())));
            checkedAt = System.currentTimeMillis();
        }
        String modelId = lastModelId.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy() ? "ok" : "unavailable");
        body.put("sqs", sqsStatus);
        body.put("s3", s3Status);
        body.put("model", modelId == null ? "unknown" : modelId.startsWith("untrained") ? "untrained" : "trained");
        body.put("modelId", modelId);
        WorkerMemory workerMemory = WebMain.WORKER_MEMORY.get();
        if (workerMemory != null) {
            body.put("workerMemoryBudgetMb", workerMemory.budgetMb());
            body.put("workerMemory", workerMemory.toJson());
        }
        // The workers' engine check (docs/model.md): verified, safe-isa (the default instruction set computed wrong
        // logits, they serve with oneDNN limited to SSE4.1), unchecked, wrong-logits; unknown before a reply says.
        String engine = lastEngine.get();
        body.put("engine", engine == null ? "unknown" : engine);
        return body;
    }

    /**
     * Each local worker's memory budget and its {@code -Xmx}, and where the budget came from: {@link #DERIVED} from the
     * machine's memory ({@code machineMb}) shared by at most {@code workers}, or the variable that set it.
     */
    record WorkerMemory(long budgetMb, long heapMb, String source, long machineMb, int workers) {
        static final String DERIVED = "derived";

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("budgetMb", budgetMb);
            json.put("heapMb", heapMb);
            json.put("source", source);
            json.put("machineMb", machineMb);
            json.put("workers", workers);
            return json;
        }
    }

    boolean healthy() {
        return "ok".equals(sqsStatus) && "ok".equals(s3Status);
    }

    private static String probe(Runnable call) {
        try {
            call.run();
            return "ok";
        } catch (RuntimeException e) {
            return "unreachable: " + RequestBroker.rootMessage(e);
        }
    }
}
