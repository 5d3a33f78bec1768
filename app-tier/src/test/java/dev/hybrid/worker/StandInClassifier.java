package dev.hybrid.worker;

import dev.hybrid.contract.Prediction;
import dev.hybrid.worker.model.ImageClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the model, for the loop's own semantics: labels an image by its length,
 * refuses bytes that do not start like a PNG, and can be made slow. A fake PNG marked
 * {@link #MODEL_FAILURE} makes the call throw, as a model failing on one input would; one marked
 * {@link #FATAL} throws an {@link Error}, as a crash of the whole batch would. The real DJL model is
 * exercised by the model tests and the end-to-end tests.
 */
final class StandInClassifier implements ImageClassifier {
    private final Duration delay;
    final AtomicInteger forwardPasses = new AtomicInteger();

    StandInClassifier(Duration delay) {
        this.delay = delay;
    }

    static String labelFor(byte[] image) {
        return "label-" + image.length;
    }

    static final byte MODEL_FAILURE = 'X';
    static final byte FATAL = 'E';

    /** A fake PNG whose fifth byte is {@code marker}. */
    static byte[] fakePng(int length, byte marker) {
        byte[] bytes = fakePng(length);
        bytes[4] = marker;
        return bytes;
    }

    static byte[] fakePng(int length) {
        byte[] bytes = new byte[length];
        bytes[0] = (byte) 0x89;
        bytes[1] = 'P';
        bytes[2] = 'N';
        bytes[3] = 'G';
        return bytes;
    }

    @Override
    public String modelId() {
        return "stand-in";
    }

    @Override
    public boolean untrained() {
        return false;
    }

    @Override
    public List<Outcome> classify(List<byte[]> images) {
        forwardPasses.incrementAndGet();
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (byte[] image : images) {
            if (image.length > 4 && image[4] == FATAL) {
                throw new Error("stand-in crash");
            }
            if (image.length > 4 && image[4] == MODEL_FAILURE) {
                throw new IllegalStateException("stand-in model failure");
            }
            boolean png = image.length > 4 && image[0] == (byte) 0x89 && image[1] == 'P';
            outcomes.add(png
                    ? new Outcome.Labels(List.of(new Prediction(labelFor(image), 0.9), new Prediction("other", 0.1)))
                    : new Outcome.Undecodable("not a PNG"));
        }
        return outcomes;
    }

    @Override
    public void close() {}
}
