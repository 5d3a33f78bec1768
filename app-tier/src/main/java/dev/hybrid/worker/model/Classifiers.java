package dev.hybrid.worker.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import dev.hybrid.contract.EnvNames;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the model that the settings name, or, when none can be had, an untrained ResNet-18 that says so. */
public final class Classifiers {
    private static final Logger log = LoggerFactory.getLogger(Classifiers.class);
    public static final String UNTRAINED_ID = "untrained-resnet18";
    /** The same weights in every process, so that every worker gives the same answer for the same bytes. */
    private static final int UNTRAINED_SEED = 546;

    private Classifiers() {}

    public static ImageClassifier load(ModelSettings settings) {
        log.info("{}", settings.budget().describe());
        String url = settings.url();
        if (url.startsWith("file:")) {
            return torchScript(Path.of(URI.create(url)), settings);
        }
        if (url.startsWith("s3://")) {
            return torchScript(S3ModelFetcher.fetch(url), settings);
        }
        if (url.startsWith("djl://")) {
            try {
                return zoo(url, settings);
            } catch (Exception e) {
                log.warn("model {} is not available ({}); falling back to the untrained ResNet-18", url, e.getMessage());
                return untrained(settings.profile(), settings.budget());
            }
        }
        throw new IllegalArgumentException("model url must start with djl://, file: or s3://, not " + url);
    }

    private static ImageClassifier torchScript(Path file, ModelSettings settings) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no TorchScript model at " + file);
        }
        if (settings.labels() == null) {
            throw new IllegalArgumentException("a file: model needs a labels file (--labels or " + EnvNames.MODEL_LABELS + ")");
        }
        try {
            Model model = Model.newInstance(file.getFileName().toString(), "PyTorch");
            model.load(file);
            String id = file.getFileName().toString().replaceFirst("\\.pt$", "") + "-" + settings.profile().id();
            return new DjlClassifier(model, settings.profile(), Labels.fromFile(Path.of(settings.labels())), id, false, settings.budget());
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot load the TorchScript model " + file + ": " + e.getMessage(), e);
        }
    }

    private static ImageClassifier zoo(String url, ModelSettings settings) throws Exception {
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelUrls(url).optEngine("PyTorch").optFilter("layers", "18").optFilter("dataset", "imagenet")
                .optTranslator(new NoopTranslator()).build();
        ZooModel<NDList, NDList> model = criteria.loadModel();
        // Both ImageNet-1k label sets list the same classes in the same order; the simple names read better.
        return new DjlClassifier(model, settings.profile(), Labels.imagenetSimple(), "resnet18-" + settings.profile().id(), false,
                settings.budget());
    }

    static ImageClassifier untrained(Profile profile) {
        return untrained(profile, MemoryBudget.of(null));
    }

    static ImageClassifier untrained(Profile profile, MemoryBudget budget) {
        Engine engine = Engine.getEngine("PyTorch");
        Model model = Model.newInstance(UNTRAINED_ID, "PyTorch");
        Block block = ResNet18.build();
        model.setBlock(block);
        synchronized (Classifiers.class) {
            engine.setRandomSeed(UNTRAINED_SEED);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 64, 64));
        }
        log.warn("""

                ************************************************************************
                *  UNTRAINED MODEL: no ResNet-18 weights could be had (offline, nothing *
                *  cached, no model url). Labels come from random weights and mean      *
                *  nothing. Give --model file:/path/model.pt --labels FILE, or run with *
                *  a network once so DJL can cache the real weights.                    *
                ************************************************************************""");
        return new DjlClassifier(model, profile, Labels.imagenetSimple(), UNTRAINED_ID, true, budget);
    }

    /** Trainable parameters, counted as torchvision counts them (batch-norm running statistics excluded). */
    static long parameterCount(Block block) {
        long count = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            if (parameter.getValue().requiresGradient()) {
                count += parameter.getValue().getArray().size();
            }
        }
        return count;
    }

    static List<String> simpleLabels() {
        return Labels.imagenetSimple();
    }
}
