package dev.hybrid.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What {@code status} asks a running stack: is the web tier healthy, and how deep are the queues. */
public final class StackProbes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final java.util.regex.Pattern WORKER_REPLIES =
            java.util.regex.Pattern.compile("(?m)^hybrid_worker_replies_total\\{worker=\"([^\"]+)\"\\} ([0-9.eE+]+)$");

    private StackProbes() {
    }

    /** {@code engine}: the workers' engine check as /healthz reports it (verified, safe-isa, unchecked, wrong-logits, unknown). */
    public record Health(boolean ok, String status, String model, String engine) {
        public static final Health NOT_CHECKED = new Health(false, "not checked (--no-health)", "unknown", "unknown");

        /** A note for the text report when the engine check found wrong logits, else empty. */
        public String engineNotice() {
            return switch (engine) {
                case "safe-isa" -> "   <-- the CPU's default instruction set computed wrong logits; workers serve with DNNL_MAX_CPU_ISA=SSE41";
                case "wrong-logits" -> "   <-- WRONG LOGITS: the engine computes this model wrong on this CPU";
                default -> "";
            };
        }
    }

    /** Message counts, or nulls when the queue could not be asked: an unreachable queue is not an empty one. */
    public record QueueDepth(Integer visible, Integer inFlight) {
        public static final QueueDepth UNKNOWN = new QueueDepth(null, null);

        public boolean known() {
            return visible != null && inFlight != null;
        }
    }

    /** {@code "requestQueue": {visible, inFlight, deadLetters}}, each null when unknown. */
    public static void putQueues(ObjectNode document, QueueDepth requests, QueueDepth deadLetters) {
        ObjectNode queue = document.putObject("requestQueue");
        queue.put("visible", requests.visible()).put("inFlight", requests.inFlight()).put("deadLetters", deadLetters.visible());
    }

    /** "3 visible, 1 in flight, 0 dead letters", with {@code unknown} for what could not be asked. */
    public static String describeQueues(QueueDepth requests, QueueDepth deadLetters) {
        return count(requests.visible()) + " visible, " + count(requests.inFlight()) + " in flight, " + count(deadLetters.visible())
                + " dead letters" + (requests.known() && deadLetters.known() ? "" : " (SQS did not answer)");
    }

    private static String count(Integer value) {
        return value == null ? "unknown" : value.toString();
    }

    public static Health health(URI web) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(web.resolve("/healthz")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(response.body());
            String model = json.path("model").isObject() ? json.path("model").path("status").asText(json.path("model").toString())
                    : json.path("model").asText("unknown");
            boolean ok = response.statusCode() == 200;
            return new Health(ok, ok ? "healthy" : "unhealthy (HTTP " + response.statusCode() + ")", model.isEmpty() ? "unknown" : model,
                    json.path("engine").asText("unknown"));
        } catch (IOException e) {
            return new Health(false, "unreachable", "unknown", "unknown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(false, "unknown", "unknown", "unknown");
        }
    }

    /**
     * Each local worker's memory budget and heap ({@code -Xmx}) as the web tier set them, and where the budget came from:
     * {@code derived} from the machine's memory ({@code machineMb}, less {@link #RESERVED_MB}) shared by at most
     * {@code workers}, or the variable that set it.
     */
    public record WorkerMemory(long budgetMb, long heapMb, String source, long machineMb, int workers) {
        /** What the web tier keeps for itself and the emulators before it shares the machine among the workers. */
        public static final long RESERVED_MB = 2048;

        public boolean derived() {
            return "derived".equals(source);
        }
    }

    /** The {@code workerMemory} of {@code /healthz}; empty when the web tier runs no local workers or cannot be asked. */
    public static java.util.Optional<WorkerMemory> workerMemory(URI web) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            JsonNode memory = JSON.readTree(http.send(HttpRequest.newBuilder(web.resolve("/healthz")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("workerMemory");
            if (!memory.isObject()) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new WorkerMemory(memory.path("budgetMb").asLong(), memory.path("heapMb").asLong(),
                    memory.path("source").asText("unknown"), memory.path("machineMb").asLong(), memory.path("workers").asInt()));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** Replies per worker id from the web tier's {@code /metrics}; empty when it cannot be asked. */
    public static Map<String, Long> repliesByWorker(URI web) {
        Map<String, Long> replies = new java.util.HashMap<>();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            String text = http.send(HttpRequest.newBuilder(web.resolve("/metrics")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher line = WORKER_REPLIES.matcher(text);
            while (line.find()) {
                replies.put(line.group(1), (long) Double.parseDouble(line.group(2)));
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return replies;
    }

    /** {@link QueueDepth#UNKNOWN} when the queue cannot be asked: status reports, it does not fail on a probe. */
    public static QueueDepth depth(SqsClient sqs, String queueUrl) {
        if (queueUrl == null) {
            return QueueDepth.UNKNOWN;
        }
        try {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return new QueueDepth(Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
                    Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")));
        } catch (RuntimeException e) {
            return QueueDepth.UNKNOWN;
        }
    }
}
