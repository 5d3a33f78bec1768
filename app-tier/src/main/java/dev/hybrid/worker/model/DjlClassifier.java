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
 * together in one forward pass; every batch allocates in a sub-manager that is closed right
 * after, because DJL attaches intermediates to the input's manager and a long-lived one grows
 * native memory without bound.
 */
final class DjlClassifier implements ImageClassifier {
    private static final long MAX_PIXELS_PER_PASS = 2L * 640 * 480;

    private final Model model;
    private final Profile profile;
    private final List<String> labels;
    private final String modelId;
    private final boolean untrained;

    DjlClassifier(Model model, Profile profile, List<String> labels, String modelId, boolean untrained) {
        this.model = model;
        this.profile = profile;
        this.labels = labels;
        this.modelId = modelId;
        this.untrained = untrained;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public boolean untrained() {
        return untrained;
    }

    @Override
    public List<Outcome> classify(List<byte[]> images) {
        Outcome[] outcomes = new Outcome[images.size()];
        Map<String, List<Integer>> byShape = new LinkedHashMap<>();
        List<Profile.Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Profile.Tensor tensor = null;
            try {
                tensor = tensor(images.get(i));
                byShape.computeIfAbsent(tensor.height() + "x" + tensor.width(), k -> new ArrayList<>()).add(i);
            } catch (UndecodableException e) {
                outcomes[i] = new Outcome.Undecodable(e.getMessage());
            }
            tensors.add(tensor);
        }
        for (List<Integer> group : byShape.values()) {
            Profile.Tensor first = tensors.get(group.get(0));
            int perPass = imagesPerPass(first.height(), first.width());
            for (int from = 0; from < group.size(); from += perPass) {
                List<Integer> pass = group.subList(from, Math.min(group.size(), from + perPass));
                float[][] logits = forward(pass.stream().map(tensors::get).toList());
                for (int j = 0; j < pass.size(); j++) {
                    outcomes[pass.get(j)] = new Outcome.Labels(top5(logits[j]));
                }
            }
        }
        return List.of(outcomes);
    }

    /**
     * Large images go through the network a few at a time: a pass over ten 640x480 images took 260-297 ms an
     * image against 191-212 ms in passes of two (same JVM, worker options), its activations being hundreds of
     * megabytes. Small ones all at once: ten 64x64 images are 41k pixels.
     */
    static int imagesPerPass(int height, int width) {
        return Math.max(1, (int) Math.min(Integer.MAX_VALUE, MAX_PIXELS_PER_PASS / ((long) height * width)));
    }

    /** The model's input for one image's bytes. */
    Profile.Tensor tensor(byte[] bytes) throws UndecodableException {
        try {
            return profile.prepare(PilDecoder.decode(bytes));
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
