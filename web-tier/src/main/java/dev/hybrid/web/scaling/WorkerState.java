package dev.hybrid.web.scaling;

public enum WorkerState {
    STARTING, WARMING, RUNNING, WARM, STOPPING
}
