package dev.hybrid.worker.engine;

import dev.hybrid.worker.model.Classifiers;
import dev.hybrid.worker.model.ImageClassifier;
import dev.hybrid.worker.model.ModelSettings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * What the safe setting costs: ResNet-18 images per second with the default instruction set and with
 * {@code DNNL_MAX_CPU_ISA=SSE41}, the same images, each setting in its own JVM (the variable is read from
 * the process's environment), the JVMs taking turns so that a busy machine weighs on both alike.
 * Also prints how far apart the two settings' logits are on these images (EngineCheckStartCost measures
 * what the check adds to a start).
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.hybrid.worker.engine.IsaThroughputBenchmark [pairs] [rounds] [images] [model] [profile] [labels]
 * </pre>
 * Defaults: 3 pairs of JVMs, 4 rounds each (round 0 is warm-up and left out of the medians), 20 images of 224×224,
 * the zoo's ResNet-18 ({@code djl://ai.djl.pytorch/resnet}, offline: it must be cached, else the untrained
 * fallback runs), profile {@code imagenet}; a {@code file:} model needs a labels file
 * (app-tier/src/test/python/make_resnet18_torchscript.py writes torchvision's ResNet-18 as TorchScript).
 */
public final class IsaThroughputBenchmark {
    private IsaThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3], args[4], "-".equals(args[5]) ? null : args[5]);
            return;
        }
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String rounds = args.length > 1 ? args[1] : "4";
        String images = args.length > 2 ? args[2] : "20";
        String model = args.length > 3 ? args[3] : ModelSettings.DEFAULT_URL;
        String profile = args.length > 4 ? args[4] : "imagenet";
        String labels = args.length > 5 ? args[5] : "-";
        List<Double> settled = new ArrayList<>();
        List<Double> settledSafe = new ArrayList<>();
        float[] defaultLogits = null;
        float[] safeLogits = null;
        for (int pair = 0; pair < pairs; pair++) {
            for (boolean safe : new boolean[] {false, true}) {
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                        IsaThroughputBenchmark.class.getName(), "child", rounds, images, model, profile, labels);
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
                builder.environment().remove(EngineCheck.ISA_VARIABLE);
                if (safe) {
                    builder.environment().put(EngineCheck.ISA_VARIABLE, EngineCheck.SAFE_ISA);
                }
                Process process = builder.start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                process.waitFor();
                String label = safe ? "DNNL_MAX_CPU_ISA=SSE41" : "default ISA           ";
                for (String line : out.split("\n")) {
                    if (line.startsWith("round ")) {
                        System.out.println("pair " + pair + " " + label + " " + line);
                        String[] parts = line.split(" ");
                        if (!parts[1].equals("0")) {
                            (safe ? settledSafe : settled).add(Double.parseDouble(parts[2]));
                        }
                    } else if (line.startsWith("logits ")) {
                        float[] logits = ReferenceRun.parse(line.substring("logits ".length()));
                        if (safe) {
                            safeLogits = logits;
                        } else {
                            defaultLogits = logits;
                        }
                    } else if (!line.isBlank() && !line.startsWith("reference-")) {
                        System.out.println(label + " " + line);
                    }
                }
            }
        }
        double defaultMedian = median(settled);
        double safeMedian = median(settledSafe);
        System.out.printf("settled rounds: default %s images/s, SSE41 %s images/s%n", settled, settledSafe);
        System.out.printf("median: default %.2f images/s, SSE41 %.2f images/s: the safe setting costs %.0f%%%n",
                defaultMedian, safeMedian, 100 * (1 - safeMedian / defaultMedian));
        if (defaultLogits != null && safeLogits != null) {
            EngineVerdict verdict = LogitComparison.compare(defaultLogits, safeLogits);
            System.out.printf("logits of all images, default against SSE41: %s%n", verdict.detail());
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static void child(int rounds, int count, String model, String profile, String labels) throws IOException {
        List<byte[]> images = new ArrayList<>();
        Random random = new Random(546);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 224; y++) {
                for (int x = 0; x < 224; x++) {
                    image.setRGB(x, y, ((x + i * 7) & 0xff) << 16 | ((y * 3 + i) & 0xff) << 8 | random.nextInt(256));
                }
            }
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", jpeg);
            images.add(jpeg.toByteArray());
        }
        try (ImageClassifier classifier = Classifiers.load(ModelSettings.of(model, labels, profile))) {
            System.out.println("model " + classifier.modelId());
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < images.size(); i += 10) {
                    classifier.classify(images.subList(i, Math.min(images.size(), i + 10)));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("round %d %.2f images/s (%.2f s)%n", round, images.size() / seconds, seconds);
            }
            List<Float> all = new ArrayList<>();
            for (byte[] image : images) {
                for (float v : classifier.rawLogits(image)) {
                    all.add(v);
                }
            }
            float[] logits = new float[all.size()];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = all.get(i);
            }
            System.out.println("logits " + ReferenceRun.format(logits));
        }
    }
}
