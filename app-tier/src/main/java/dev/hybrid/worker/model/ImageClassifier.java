package dev.hybrid.worker.model;

import dev.hybrid.contract.Prediction;
import java.util.List;

/**
 * A loaded model with its preprocessing profile and labels. Loaded once per process;
 * {@link #classify} is safe to call from several threads at once.
 */
public interface ImageClassifier extends AutoCloseable {

    /** Stable identifier reported in every reply, e.g. {@code resnet18-imagenet} or {@code untrained-resnet18}. */
    String modelId();

    /** True when no real weights could be had and a randomly initialised network answers. */
    boolean untrained();

    /**
     * Classifies the images in one batched forward pass. The result has one outcome per input, in order;
     * an image that cannot be decoded gets {@link Outcome.Undecodable}, one too large for the memory budget
     * {@link Outcome.TooLarge}, and neither fails the others.
     */
    List<Outcome> classify(List<byte[]> images);

    /**
     * The logits of one image before the softmax, exactly as {@link #classify} computes them: what the
     * engine check compares. Throws IllegalArgumentException when the image cannot be decoded.
     */
    default float[] rawLogits(byte[] image) {
        throw new UnsupportedOperationException(modelId() + " does not give its logits");
    }

    /** The engine check's result for the reply's {@code engine} field; null when the worker made none. */
    default String engine() {
        return null;
    }

    @Override
    void close();

    sealed interface Outcome permits Outcome.Labels, Outcome.Undecodable, Outcome.TooLarge {
        /** Top-5 classes, most probable first. */
        record Labels(List<Prediction> top5) implements Outcome {}

        record Undecodable(String message) implements Outcome {}

        /** More pixels than the memory budget allows; the message names the image's size and the limit. */
        record TooLarge(String message) implements Outcome {}
    }
}
