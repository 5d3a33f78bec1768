package dev.hybrid.web.scaling;

/** Figures for a /metrics page. */
public record ScalingSnapshot(int desired, int starting, int running, int stopping, int warming, int warm) {
    public static ScalingSnapshot of(int desired, FleetCounts counts) {
        return new ScalingSnapshot(desired, counts.starting(), counts.running(), counts.stopping(),
                counts.warming(), counts.warm());
    }
}
