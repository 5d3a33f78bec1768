package dev.hybrid.worker.engine;

import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.worker.model.ImageClassifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's engine check for one model. Once per model, worker jar and CPU (the verdict is cached,
 * see {@link EngineCache}) a second JVM computes the logits of the model's warm-up input
 * ({@link CheckImage}) with oneDNN limited to SSE4.1 while the worker loads the model with the default
 * instruction set; the two are compared ({@link LogitComparison}). When they differ the worker must not
 * serve from this process: it restarts itself with {@code DNNL_MAX_CPU_ISA=SSE41}
 * ({@link #restartWithSafeIsa()}), and every later start of the same model, jar and CPU does so at once,
 * before loading anything.
 */
public final class EngineCheck {
    private static final Logger log = LoggerFactory.getLogger(EngineCheck.class);
    public static final String ISA_VARIABLE = "DNNL_MAX_CPU_ISA";
    public static final String SAFE_ISA = "SSE41";

    private final String modelUrl;
    private final String labels;
    private final String profile;
    private final Map<String, String> env;
    private final EngineCache cache;

    EngineCheck(String modelUrl, String labels, String profile, Map<String, String> env, EngineCache cache) {
        this.modelUrl = modelUrl;
        this.labels = labels;
        this.profile = profile;
        this.env = env;
        this.cache = cache;
    }

    /** The check of the model these flags name, in this environment, with this jar on this CPU. */
    public static EngineCheck of(String modelUrl, String labels, String profile, Map<String, String> env) {
        String url = modelUrl == null || modelUrl.isBlank() ? dev.hybrid.worker.model.ModelSettings.DEFAULT_URL : modelUrl.trim();
        String code = EngineCache.describe(codeLocation());
        String key = EngineCache.key(url, labels, profile, code, EngineCache.cpu());
        return new EngineCheck(url, labels, profile, env, new EngineCache(EngineCache.directory(env).resolve(key + ".properties")));
    }

    private static Path codeLocation() {
        try {
            return Path.of(EngineCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return Path.of("unknown");
        }
    }

    /** The verdict of an earlier check of the same model, jar and CPU. */
    public Optional<EngineVerdict> cached() {
        return cache.read();
    }

    /** Whether this process's oneDNN is already limited to SSE4.1. */
    public boolean safeIsaActive() {
        return SAFE_ISA.equalsIgnoreCase(String.valueOf(env.get(ISA_VARIABLE)).trim());
    }

    /** A worker with this verdict must not serve from this process: its engine computes wrong logits. */
    public boolean mustRestart(EngineVerdict verdict) {
        return verdict.differs() && !safeIsaActive();
    }

    /** The reply's {@code engine} field for a worker that serves with this verdict. */
    public String replyField(EngineVerdict verdict) {
        if (safeIsaActive()) {
            return verdict.differs() ? ClassifyResponse.ENGINE_SAFE_ISA : ClassifyResponse.ENGINE_VERIFIED;
        }
        return switch (verdict.kind()) {
            case AGREES -> ClassifyResponse.ENGINE_VERIFIED;
            case DIFFERS -> ClassifyResponse.ENGINE_WRONG_LOGITS;
            case UNCHECKED -> ClassifyResponse.ENGINE_UNCHECKED;
        };
    }

    /** Starts the SSE4.1 reference; call before loading the model so that the two overlap. */
    public Reference startReference() {
        try {
            return new Reference(ReferenceRun.start(modelUrl, labels, profile, env), null);
        } catch (IOException e) {
            return new Reference(null, "cannot start the SSE4.1 reference run: " + e.getMessage());
        }
    }

    /** A reference run in progress, or why none could start. */
    public record Reference(ReferenceRun run, String failure) {
        public void cancel() {
            if (run != null) {
                run.cancel();
            }
        }
    }

    /**
     * Compares the loaded model's logits for the check image with the reference's, caches the verdict
     * and logs it; a difference is logged loudly.
     */
    public EngineVerdict verify(ImageClassifier classifier, Reference reference) throws InterruptedException {
        EngineVerdict verdict;
        if (reference.failure() != null) {
            verdict = EngineVerdict.unchecked(reference.failure());
        } else {
            verdict = compare(classifier, reference.run());
        }
        record(verdict);
        report(verdict);
        return verdict;
    }

    /** Caches a verdict for this model, jar and CPU; a failure to write only costs the next start a check. */
    public void record(EngineVerdict verdict) {
        try {
            cache.write(verdict);
        } catch (IOException e) {
            log.warn("engine check: cannot cache the verdict in {} ({}); the next start checks again", cache.file(), e.getMessage());
        }
    }

    private EngineVerdict compare(ImageClassifier classifier, ReferenceRun run) throws InterruptedException {
        float[] served;
        try {
            served = classifier.rawLogits(CheckImage.jpeg());
        } catch (RuntimeException e) {
            run.cancel();
            return EngineVerdict.unchecked("the model cannot classify its check image: " + e.getMessage());
        }
        try {
            ReferenceRun.Result reference = run.await();
            if (!reference.modelId().equals(classifier.modelId())) {
                return EngineVerdict.unchecked("the reference run loaded " + reference.modelId() + ", the worker " + classifier.modelId());
            }
            return LogitComparison.compare(served, reference.logits());
        } catch (ReferenceRun.ReferenceFailed e) {
            return EngineVerdict.unchecked(e.getMessage());
        }
    }

    /** Logs a verdict: info when the engine agrees, a boxed error when it computes wrong logits. */
    public void report(EngineVerdict verdict) {
        switch (verdict.kind()) {
            case AGREES -> log.info("engine check: {} ({})", verdict.detail(), modelUrl);
            case UNCHECKED -> log.warn("engine check: not made: {}; serving with the default instruction set", verdict.detail());
            case DIFFERS -> {
                log.error("****************************************************************************************");
                log.error("* ENGINE COMPUTES WRONG LOGITS on this CPU for model {}", modelUrl);
                log.error("* {}", verdict.detail());
                log.error(safeIsaActive() ? "* serving with {}={} (oneDNN limited to SSE4.1), which agrees with float64"
                        : "* restarting with {}={}: oneDNN limited to SSE4.1", ISA_VARIABLE, SAFE_ISA);
                log.error("****************************************************************************************");
            }
        }
    }

    /** Runs this worker's command line again with the safe setting and returns the child's exit code. */
    public int restartWithSafeIsa() throws IOException, InterruptedException {
        return SafeRestart.run(SafeRestart.ownCommandLine());
    }
}
