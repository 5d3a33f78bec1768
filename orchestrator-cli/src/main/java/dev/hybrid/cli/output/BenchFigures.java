package dev.hybrid.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Throughput and latency percentiles of one bench run; latencies of successful requests only. */
public record BenchFigures(int requests, long failed, long wallMillis, double perSecond, long p50, long p90, long p95, long p99, long max) {
    /** @param answeredMillis the latencies of the requests that were answered, in any order */
    public static BenchFigures of(int requests, List<Long> answeredMillis, long wallMillis) {
        List<Long> latencies = answeredMillis.stream().sorted().toList();
        long failed = requests - latencies.size();
        double perSecond = latencies.size() * 1000.0 / wallMillis;
        return new BenchFigures(requests, failed, wallMillis, perSecond, percentile(latencies, 50), percentile(latencies, 90),
                percentile(latencies, 95), percentile(latencies, 99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
    }

    /** Nearest-rank percentile. */
    public static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "  %d ok, %d failed in %.2f s: %.2f requests/s%n", requests - failed, failed, wallMillis / 1000.0, perSecond);
        out.printf(Locale.ROOT, "  latency p50 %d ms  p90 %d ms  p95 %d ms  p99 %d ms  max %d ms%n", p50, p90, p95, p99, max);
    }

    public void into(ObjectNode document) {
        document.put("requests", requests).put("failed", failed).put("wallMillis", wallMillis).put("requestsPerSecond", perSecond);
        document.putObject("latencyMillis").put("p50", p50).put("p90", p90).put("p95", p95).put("p99", p99).put("max", max);
    }
}
