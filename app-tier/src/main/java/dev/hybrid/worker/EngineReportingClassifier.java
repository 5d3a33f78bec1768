package dev.hybrid.worker;

import dev.hybrid.worker.model.ImageClassifier;
import java.util.List;

/** The loaded model, answering {@link #engine()} with the engine check's result for every reply. */
final class EngineReportingClassifier implements ImageClassifier {
    private final ImageClassifier model;
    private final String engine;

    EngineReportingClassifier(ImageClassifier model, String engine) {
        this.model = model;
        this.engine = engine;
    }

    @Override
    public String modelId() {
        return model.modelId();
    }

    @Override
    public boolean untrained() {
        return model.untrained();
    }

    @Override
    public List<Outcome> classify(List<byte[]> images) {
        return model.classify(images);
    }

    @Override
    public float[] rawLogits(byte[] image) {
        return model.rawLogits(image);
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public void close() {
        model.close();
    }
}
