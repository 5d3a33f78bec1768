package dev.hybrid.web.scaling;

@FunctionalInterface
public interface ScalingMetrics {
    ScalingSnapshot snapshot();
}
