package dev.hybrid.worker;

import dev.hybrid.worker.model.Classifiers;
import dev.hybrid.worker.model.ImageClassifier;
import dev.hybrid.worker.model.ModelSettings;

/** The production model loader: the model package's, once per process. */
final class ModelLoading {
    private ModelLoading() {}

    static ImageClassifier load(ModelOptions options) {
        return Classifiers.load(ModelSettings.of(options.url(), options.labels(), options.profile()));
    }
}
