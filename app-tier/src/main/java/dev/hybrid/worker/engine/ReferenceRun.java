package dev.hybrid.worker.engine;

import dev.hybrid.worker.model.Classifiers;
import dev.hybrid.worker.model.ImageClassifier;
import dev.hybrid.worker.model.ModelSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reference: the same model, loaded by the same code in a second JVM whose oneDNN is limited to
 * SSE4.1 ({@code DNNL_MAX_CPU_ISA} is read when libtorch first runs a primitive, so it must be in the
 * environment of the process), computing the logits of {@link CheckImage}. The child prints one line,
 * {@code reference-logits}, the model id and the floats' bits in hex, or {@code reference-error} and why.
 */
public final class ReferenceRun {
    static final String LOGITS = "reference-logits ";
    static final String ERROR = "reference-error ";
    /** A model load in a second JVM on a busy machine; beyond this the check is given up as unchecked. */
    static final Duration LIMIT = Duration.ofSeconds(180);

    private final Process process;
    private final CompletableFuture<Result> logits = new CompletableFuture<>();

    /** The reference's model id (the fallback may have loaded where the worker has real weights) and logits. */
    record Result(String modelId, float[] logits) {}

    private ReferenceRun(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "engine-reference");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the reference JVM for the model the worker loads; it runs beside the worker's own load. */
    static ReferenceRun start(String modelUrl, String labels, String profile, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ReferenceRun.class.getName(),
                modelUrl, labels == null ? "-" : labels, profile == null ? "-" : profile));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put(EngineCheck.ISA_VARIABLE, EngineCheck.SAFE_ISA);
        return new ReferenceRun(builder.start());
    }

    /**
     * The worker's own JVM options that matter to a model load (system properties such as
     * {@code ai.djl.offline}, heap, JIT and collector, its class-data archive); not an archive it is
     * writing, agents or debuggers.
     */
    static List<String> jvmOptions(List<String> options) {
        List<String> kept = new ArrayList<>();
        for (String option : options) {
            if (option.startsWith("-D") || option.startsWith("-Xmx") || option.startsWith("-Xss")
                    || option.equals("-XX:TieredStopAtLevel=1") || option.equals("-XX:+UseSerialGC")
                    || option.startsWith("-XX:SharedArchiveFile=")) {
                kept.add(option);
            }
        }
        return kept;
    }

    /** The reference logits, or the reason there are none. */
    Result await() throws ReferenceFailed, InterruptedException {
        try {
            return logits.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new ReferenceFailed("the SSE4.1 reference run gave no logits within " + LIMIT.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ReferenceFailed(e.getCause().getMessage());
        }
    }

    void cancel() {
        process.destroyForcibly();
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String error = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(LOGITS)) {
                    String[] idAndLogits = line.substring(LOGITS.length()).split(" ", 2);
                    logits.complete(new Result(idAndLogits[0], parse(idAndLogits[1])));
                } else if (line.startsWith(ERROR)) {
                    error = line.substring(ERROR.length());
                }
            }
            int code = process.waitFor();
            logits.completeExceptionally(new ReferenceFailed(error != null ? "the SSE4.1 reference run failed: " + error
                    : "the SSE4.1 reference run ended with " + code + " and printed no logits"));
        } catch (IOException | RuntimeException e) {
            logits.completeExceptionally(new ReferenceFailed("cannot read the SSE4.1 reference run: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String format(float[] logits) {
        StringBuilder line = new StringBuilder();
        for (float v : logits) {
            line.append(line.length() == 0 ? "" : ",").append(Integer.toHexString(Float.floatToRawIntBits(v)));
        }
        return line.toString();
    }

    static float[] parse(String hex) {
        String[] parts = hex.strip().split(",");
        float[] logits = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            logits[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
        }
        return logits;
    }

    static final class ReferenceFailed extends Exception {
        ReferenceFailed(String message) {
            super(message);
        }
    }

    /** The child: loads the model as the worker does and prints the check image's logits. */
    public static void main(String[] args) {
        String labels = "-".equals(args[1]) ? null : args[1];
        String profile = "-".equals(args[2]) ? null : args[2];
        try (ImageClassifier classifier = Classifiers.load(ModelSettings.of(args[0], labels, profile))) {
            System.out.println(LOGITS + classifier.modelId() + " " + format(classifier.rawLogits(CheckImage.jpeg())));
            System.out.flush();
        } catch (RuntimeException | LinkageError e) {
            System.out.println(ERROR + String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " "));
            System.out.flush();
            System.exit(1);
        }
        System.exit(0);
    }
}
