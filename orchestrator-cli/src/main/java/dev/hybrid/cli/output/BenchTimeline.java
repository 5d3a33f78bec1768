package dev.hybrid.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.engine.DaemonThreads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Backlog and workers over time during a bench: the web tier's {@code /metrics} gauges sampled at a fixed
 * interval, with the client's own count of answered requests beside them. Written as JSON and as a chart (SVG and PNG).
 */
public final class BenchTimeline implements AutoCloseable {
    /** Series shown, by the gauge they come from; a web tier without an autoscaler reports only the first three. */
    static final Map<String, String> GAUGES = gauges();
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_]+)(?:\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Sample(double seconds, long answered, Map<String, Double> gauges) {
    }

    private final URI metrics;
    private final LongSupplier answered;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("bench-timeline"));
    private final List<Sample> samples = new ArrayList<>();
    private final long started = System.nanoTime();
    private volatile boolean metricsAnswered;

    private BenchTimeline(URI web, LongSupplier answered, Duration interval) {
        this.metrics = web.resolve("/metrics");
        this.answered = answered;
        sampler.scheduleAtFixedRate(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static BenchTimeline start(URI web, LongSupplier answered, Duration interval) {
        return new BenchTimeline(web, answered, interval);
    }

    private static Map<String, String> gauges() {
        Map<String, String> gauges = new LinkedHashMap<>();
        gauges.put("backlog", "hybrid_backlog_messages");
        gauges.put("inFlight", "hybrid_messages_in_flight");
        gauges.put("pending", "hybrid_pending_requests");
        gauges.put("workersRunning", "hybrid_workers_running");
        gauges.put("workersStarting", "hybrid_workers_starting");
        gauges.put("workersWarm", "hybrid_workers_warm");
        return gauges;
    }

    private void sample() {
        Map<String, Double> values = new LinkedHashMap<>();
        try {
            String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            Map<String, Double> all = parse(text);
            GAUGES.forEach((series, gauge) -> {
                if (all.containsKey(gauge)) {
                    values.put(series, all.get(gauge));
                }
            });
            metricsAnswered |= !values.isEmpty();
        } catch (IOException e) {
            // a missed sample is a gap in the chart, not a failed bench
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (samples) {
            samples.add(new Sample((System.nanoTime() - started) / 1e9, answered.getAsLong(), values));
        }
    }

    static Map<String, Double> parse(String prometheusText) {
        Map<String, Double> values = new LinkedHashMap<>();
        Matcher line = SAMPLE.matcher(prometheusText);
        while (line.find()) {
            values.merge(line.group(1), Double.parseDouble(line.group(2)), Double::sum);
        }
        return values;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Whether the web tier exposed any of the gauges: a chart of nothing but the client's count says little. */
    public boolean hasGauges() {
        return metricsAnswered;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    ObjectNode toJson() {
        ObjectNode document = JSON.createObjectNode();
        ArrayNode list = document.putArray("samples");
        for (Sample sample : samples()) {
            ObjectNode node = list.addObject().put("seconds", Math.round(sample.seconds() * 1000) / 1000.0).put("answered", sample.answered());
            sample.gauges().forEach(node::put);
        }
        return document;
    }

    public void writeJson(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), toJson());
    }

    /** A line chart, one line per series that has at least one value, as {@code base.svg} and {@code base.png}. */
    public void writeCharts(Path base, String title) throws IOException {
        List<Sample> all = samples();
        XYChart chart = new XYChartBuilder().width(900).height(450).title(title).xAxisTitle("seconds").yAxisTitle("count").build();
        chart.getStyler().setMarkerSize(0);
        List<Double> x = all.stream().map(Sample::seconds).toList();
        if (x.isEmpty()) {
            throw new IOException("no samples were taken, so there is nothing to chart");
        }
        chart.addSeries("answered", x, all.stream().map(s -> (double) s.answered()).toList()).setMarker(SeriesMarkers.NONE);
        for (String series : GAUGES.keySet()) {
            if (all.stream().anyMatch(s -> s.gauges().containsKey(series))) {
                // A missed sample is drawn as NaN, which XChart leaves as a gap.
                List<Double> y = all.stream().map(s -> s.gauges().getOrDefault(series, Double.NaN)).toList();
                chart.addSeries(series, x, y).setMarker(SeriesMarkers.NONE);
            }
        }
        Files.createDirectories(base.toAbsolutePath().getParent());
        VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
