package dev.hybrid.worker.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.hybrid.contract.Prediction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded DJL model with its profile and labels. Images of one shape go through the network
 * together; every pass allocates in a sub-manager that is closed right after, because DJL attaches
 * intermediates to the input's manager and a long-lived one grows native memory without bound.
 * Memory is planned from the headers before a pixel is decoded ({@link MemoryBudget}): an image the
 * {@code cse546} profile cannot hold is refused, the {@code imagenet} profile subsamples one too
 * large to decode whole, passes are sized by bytes of activations, and each pass's images are
 * decoded only when it runs, so at most one pass of pixels is on the heap per caller.
 */
final class DjlClassifier implements ImageClassifier {
    private final Model model;
    private final Profile profile;
    private final List<String> labels;
    private final String modelId;
    private final boolean untrained;
    private final MemoryBudget budget;

    DjlClassifier(Model model, Profile profile, List<String> labels, String modelId, boolean untrained, MemoryBudget budget) {
        this.model = model;
        this.profile = profile;
        this.labels = labels;
        this.modelId = modelId;
        this.untrained = untrained;
        this.budget = budget;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public boolean untrained() {
        return untrained;
    }

    MemoryBudget budget() {
        return budget;
    }

    /** How one image will be decoded: its subsampling and the tensor's height and width. */
    private record Plan(int subsampling, int height, int width) {
        long pixels() {
            return (long) height * width;
        }
    }

    @Override
    public List<Outcome> classify(List<byte[]> images) {
        Outcome[] outcomes = new Outcome[images.size()];
        Plan[] plans = new Plan[images.size()];
        Map<String, List<Integer>> byShape = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            try {
                plans[i] = plan(PilDecoder.header(images.get(i)));
                byShape.computeIfAbsent(plans[i].height() + "x" + plans[i].width(), k -> new ArrayList<>()).add(i);
            } catch (TooLargeException e) {
                outcomes[i] = new Outcome.TooLarge(e.getMessage());
            } catch (IOException | RuntimeException e) {
                outcomes[i] = new Outcome.Undecodable("not a decodable image: " + reason(e));
            }
        }
        for (List<Integer> group : byShape.values()) {
            int perPass = budget.imagesPerPass(plans[group.get(0)].pixels());
            for (int from = 0; from < group.size(); from += perPass) {
                // Decoded only now: a batch of large images never has more than one pass of pixels on the heap.
                Map<String, List<Integer>> decoded = new LinkedHashMap<>();
                Map<Integer, Profile.Tensor> tensors = new LinkedHashMap<>();
                for (int i : group.subList(from, Math.min(group.size(), from + perPass))) {
                    try {
                        Profile.Tensor tensor = tensor(images.get(i), plans[i].subsampling());
                        tensors.put(i, tensor);
                        decoded.computeIfAbsent(tensor.height() + "x" + tensor.width(), k -> new ArrayList<>()).add(i);
                    } catch (UndecodableException e) {
                        outcomes[i] = new Outcome.Undecodable(e.getMessage());
                    }
                }
                for (List<Integer> pass : decoded.values()) {
                    float[][] logits = forward(pass.stream().map(tensors::get).toList());
                    for (int j = 0; j < pass.size(); j++) {
                        outcomes[pass.get(j)] = new Outcome.Labels(top5(logits[j]));
                    }
                }
            }
        }
        return List.of(outcomes);
    }

    /** The decode and the tensor shape for an image of the header's size, or its refusal, naming the limit. */
    Plan plan(PilDecoder.Header header) throws TooLargeException {
        if (header.width() <= 0 || header.height() <= 0) {
            throw new IllegalArgumentException("the header declares " + header);
        }
        if (profile == Profile.CSE546) {
            if (header.pixels() > budget.maxNativePixels()) {
                throw new TooLargeException("image is " + header + " = " + MemoryBudget.megapixels(header.pixels())
                        + "; the cse546 profile classifies images at their own size, and this worker's memory budget of "
                        + budget.budgetBytes() / MemoryBudget.MB + " MB takes at most " + MemoryBudget.megapixels(budget.maxNativePixels())
                        + " (raise " + dev.hybrid.contract.WorkerLimits.MEMORY_BUDGET_MB_ENV + ", or send a smaller image)");
            }
            return new Plan(1, header.height(), header.width());
        }
        int subsampling = budget.subsampling(header.width(), header.height());
        int w = (header.width() + subsampling - 1) / subsampling;
        int h = (header.height() + subsampling - 1) / subsampling;
        long resized = Profile.resizedPixels(w, h);
        if (resized > budget.decodablePixels()) {
            throw new TooLargeException("image is " + header + ": resized to 256 pixels on its short side it would be "
                    + MemoryBudget.megapixels(resized) + ", more than this worker's memory budget of " + budget.budgetBytes() / MemoryBudget.MB
                    + " MB lets it resize (" + MemoryBudget.megapixels(budget.decodablePixels()) + "); send an image with a less extreme "
                    + "aspect ratio");
        }
        return new Plan(subsampling, Profile.CROP_SIZE, Profile.CROP_SIZE);
    }

    static final class TooLargeException extends Exception {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** The model's input for one image's bytes, decoded whole. */
    Profile.Tensor tensor(byte[] bytes) throws UndecodableException {
        return tensor(bytes, 1);
    }

    Profile.Tensor tensor(byte[] bytes, int subsampling) throws UndecodableException {
        try {
            return profile.prepare(PilDecoder.decode(bytes, subsampling));
        } catch (IOException | RuntimeException e) {
            throw new UndecodableException("not a decodable image: " + reason(e));
        }
    }

    /** One line for a 422 body: the decoder's own words, or, when it has none, what kind of failure it was. */
    static String reason(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "the decoder failed (" + e.getClass().getSimpleName() + ")";
        }
        return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** The raw logits for one image, exactly as {@link #classify} computes them before the softmax. */
    float[] logits(byte[] bytes) throws UndecodableException {
        return forward(List.of(tensor(bytes)))[0];
    }

    @Override
    public float[] rawLogits(byte[] image) {
        try {
            return logits(image);
        } catch (UndecodableException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static final class UndecodableException extends Exception {
        UndecodableException(String message) {
            super(message);
        }
    }

    /** Logits per image, for images of one shape, in one pass. */
    float[][] forward(List<Profile.Tensor> sameShape) {
        int h = sameShape.get(0).height();
        int w = sameShape.get(0).width();
        int size = 3 * h * w;
        float[] batch = new float[sameShape.size() * size];
        for (int i = 0; i < sameShape.size(); i++) {
            System.arraycopy(sameShape.get(i).chw(), 0, batch, i * size, size);
        }
        float[] flat;
        int classes;
        synchronized (model) {
            try (NDManager batchManager = model.getNDManager().newSubManager()) {
                NDArray input = batchManager.create(batch, new Shape(sameShape.size(), 3, h, w));
                NDArray output = model.getBlock().forward(new ParameterStore(batchManager, false), new NDList(input), false)
                        .singletonOrThrow();
                classes = (int) output.getShape().get(output.getShape().dimension() - 1);
                flat = output.toFloatArray();
            }
        }
        float[][] logits = new float[sameShape.size()][classes];
        for (int i = 0; i < sameShape.size(); i++) {
            System.arraycopy(flat, i * classes, logits[i], 0, classes);
        }
        return logits;
    }

    private List<Prediction> top5(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(p[b], p[a]));
        List<Prediction> top = new ArrayList<>();
        for (int k = 0; k < Math.min(5, order.size()); k++) {
            int index = order.get(k);
            top.add(new Prediction(index < labels.size() ? labels.get(index) : "class " + index, p[index] / sum));
        }
        return top;
    }

    @Override
    public void close() {
        model.close();
    }
}
