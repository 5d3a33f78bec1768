package dev.hybrid.worker;

import ai.djl.engine.Engine;
import dev.hybrid.worker.model.Classifiers;
import dev.hybrid.worker.model.ImageClassifier;
import dev.hybrid.worker.model.ModelSettings;
import dev.hybrid.worker.engine.CheckImage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The production model loader: the model package's, once per process. */
final class ModelLoading {
    private static final Logger log = LoggerFactory.getLogger(ModelLoading.class);
    private ModelLoading() {}

    /**
     * Loads PyTorch's native library (over half a second of dlopen) on a thread of its own, so that
     * it overlaps the model zoo's lookup and the SDK's start; the model load then finds the engine
     * up. A failure here is left to the model load, which reports it.
     */
    private static void startEngine() {
        Thread preload = new Thread(() -> {
            try {
                Engine.getEngine("PyTorch");
            } catch (RuntimeException | LinkageError reportedByTheModelLoad) {
                // Loading the model asks for the engine again and says what is wrong.
            }
        }, "engine-preload");
        preload.setDaemon(true);
        preload.start();
    }

    /**
     * The model, after one forward pass on its check image (a 64×64 JPEG, {@link CheckImage}): PyTorch's
     * one-time set-up then happens while the SDK may still be starting, rather than on the first request.
     */
    static ImageClassifier load(ModelOptions options) {
        startEngine();
        ImageClassifier classifier = Classifiers.load(ModelSettings.of(options.url(), options.labels(), options.profile(),
                options.memoryBudgetMb()));
        try {
            classifier.classify(List.of(CheckImage.jpeg()));
        } catch (RuntimeException e) {
            // A model that cannot take a 64×64 image still serves the images it can; requests report their own errors.
            log.debug("warm-up pass failed ({}); the first request pays PyTorch's set-up", e.toString());
        }
        return classifier;
    }
}
