package dev.hybrid.worker;

import dev.hybrid.worker.model.ImageClassifier;

/** Loads the model once per process; the batch processors share what it returns. */
@FunctionalInterface
interface ClassifierLoader {
    ImageClassifier load(ModelOptions options) throws Exception;
}
