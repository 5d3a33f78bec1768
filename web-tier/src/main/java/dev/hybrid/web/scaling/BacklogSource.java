package dev.hybrid.web.scaling;

@FunctionalInterface
public interface BacklogSource {
    Backlog read();
}
