package dev.hybrid.worker;

import dev.hybrid.worker.model.ImageClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The pipeline's yardstick: the same images through the same model in this JVM, in batches on a few threads,
 * with no queue, no HTTP and no S3. {@code hybrid bench --compare-raw} divides its wall time by this one.
 * Prints one JSON line: {@code {"images":N,"millis":M,"modelId":"…","threads":T}}; the model load is not timed.
 */
@Command(name = "raw-inference", mixinStandardHelpOptions = true, description = "Times in-JVM classification of image files.")
public final class RawInference implements Callable<Integer> {
    @Option(names = "--model", description = "Model URL, as for the worker (default: the worker's).")
    String model;

    @Option(names = "--labels", description = "Labels file, as for the worker.")
    String labels;

    @Option(names = "--profile", defaultValue = "cse546", description = "cse546 or imagenet (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--threads", defaultValue = "1", description = "Threads sharing the model (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch", defaultValue = "10", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Parameters(paramLabel = "IMAGE", description = "Image files, classified in the order given.")
    List<Path> images;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RawInference()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || batch < 1 || images == null || images.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give at least one image, --threads >= 1 and --batch >= 1");
        }
        List<byte[]> bytes = new ArrayList<>();
        for (Path image : images) {
            bytes.add(read(image));
        }
        List<List<byte[]>> batches = new ArrayList<>();
        for (int i = 0; i < bytes.size(); i += batch) {
            batches.add(bytes.subList(i, Math.min(bytes.size(), i + batch)));
        }
        try (ImageClassifier classifier = ModelLoading.load(new ModelOptions(model, labels, profile))) {
            warmUp(classifier, batches);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (List<byte[]> one : batches) {
                running.add(pool.submit(() -> classifier.classify(one)));
            }
            for (Future<?> future : running) {
                future.get();
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            pool.shutdown();
            System.out.printf("{\"images\":%d,\"millis\":%d,\"modelId\":\"%s\",\"threads\":%d}%n", bytes.size(), millis,
                    classifier.modelId(), threads);
        }
        return 0;
    }

    private static byte[] read(Path image) throws IOException {
        return Files.readAllBytes(image);
    }

    /**
     * The first hundred images through a fresh model take about twice as long as later ones, which a worker that has
     * been serving for a while no longer pays; so the yardstick is timed only after one pass over all the images and
     * then up to 300 images or 10 s, whichever comes first.
     */
    static void warmUp(ImageClassifier classifier, List<List<byte[]>> batches) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int done = 0;
        for (int i = 0; i < batches.size() || done < 300 && System.nanoTime() < deadline; i++) {
            List<byte[]> batch = batches.get(i % batches.size());
            classifier.classify(batch);
            done += batch.size();
        }
    }
}
