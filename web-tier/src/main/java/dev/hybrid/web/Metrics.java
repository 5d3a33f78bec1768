package dev.hybrid.web;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.DoubleSupplier;

/** The web tier's Prometheus metrics, in a registry of its own. */
final class Metrics {
    final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter requests = Counter.builder().name("hybrid_requests_total").help("Upload requests by HTTP status")
            .labelNames("status").register(registry);
    final Histogram latency = Histogram.builder().name("hybrid_request_duration_seconds").help("Upload request latency")
            .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300).register(registry);
    final Counter cache = Counter.builder().name("hybrid_cache_lookups_total").help("Result cache lookups by result")
            .labelNames("result").register(registry);
    final Counter droppedReplies = Counter.builder().name("hybrid_replies_dropped_total")
            .help("Replies for unknown or already finished requests").register(registry);
    final Counter queueMessages = Counter.builder().name("hybrid_queue_messages_sent_total")
            .help("Request messages sent to the request queue").register(registry);

    /** Images each worker answered; {@code hybrid status} shows them per worker. */
    final Counter repliesByWorker = Counter.builder().name("hybrid_worker_replies_total")
            .help("Replies received, by the worker that sent them").labelNames("worker").register(registry);

    /** Data points per status: the label lookup allocates, and every upload records one. */
    private final java.util.concurrent.ConcurrentMap<Integer, CounterDataPoint> requestsByStatus = new java.util.concurrent.ConcurrentHashMap<>();
    private final CounterDataPoint cacheHits = cache.labelValues("hit");
    private final CounterDataPoint cacheMisses = cache.labelValues("miss");

    void recordUpload(int status, long startedNanos) {
        CounterDataPoint byStatus = requestsByStatus.get(status);
        if (byStatus == null) {
            byStatus = requestsByStatus.computeIfAbsent(status, s -> requests.labelValues(Integer.toString(s)));
        }
        byStatus.inc();
        latency.observe((System.nanoTime() - startedNanos) / 1e9);
    }

    void cacheLookup(boolean hit) {
        (hit ? cacheHits : cacheMisses).inc();
    }

    void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }

    String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
