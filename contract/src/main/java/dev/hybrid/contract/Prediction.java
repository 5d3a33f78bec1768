package dev.hybrid.contract;

/** One class of a top-k answer, with its softmax probability. */
public record Prediction(String label, double probability) {}
