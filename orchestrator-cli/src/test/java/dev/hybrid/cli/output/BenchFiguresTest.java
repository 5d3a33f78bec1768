package dev.hybrid.cli.output;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's figures and the samples of its timeline. */
class BenchFiguresTest {
    @Test
    void prometheusSamplesAreParsedWithAndWithoutLabels() {
        Map<String, Double> parsed = BenchTimeline.parse("""
                # HELP hybrid_backlog_messages Visible messages
                hybrid_backlog_messages 7.0
                hybrid_requests_total{status="200"} 3.0
                hybrid_requests_total{status="503"} 2.0
                hybrid_workers_running NaN
                """);
        assertEquals(7.0, parsed.get("hybrid_backlog_messages"));
        assertEquals(5.0, parsed.get("hybrid_requests_total"), "label values are summed");
        assertTrue(parsed.get("hybrid_workers_running").isNaN());
    }

    @Test
    void percentilesUseTheNearestRank() {
        java.util.List<Long> sorted = java.util.stream.LongStream.rangeClosed(1, 10).boxed().toList();
        assertEquals(5, BenchFigures.percentile(sorted, 50));
        assertEquals(9, BenchFigures.percentile(sorted, 90));
        assertEquals(10, BenchFigures.percentile(sorted, 99));
        assertEquals(0, BenchFigures.percentile(java.util.List.of(), 50));
    }
}
