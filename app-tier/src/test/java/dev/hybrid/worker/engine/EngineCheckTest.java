package dev.hybrid.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.worker.model.Classifiers;
import dev.hybrid.worker.model.ImageClassifier;
import dev.hybrid.worker.model.ModelSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCheckTest {
    private static final Path TINY = Path.of("src/test/resources/equivalence/tiny.pt").toAbsolutePath();
    private static final String LABELS = Path.of("src/test/resources/equivalence/labels.txt").toAbsolutePath().toString();

    @TempDir
    Path cacheDir;

    private Map<String, String> env(String isa) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove(EngineCheck.ISA_VARIABLE);
        if (isa != null) {
            env.put(EngineCheck.ISA_VARIABLE, isa);
        }
        env.put("HYBRID_ENGINE_CHECK_DIR", cacheDir.toString());
        return env;
    }

    private static final EngineVerdict AGREES = new EngineVerdict(EngineVerdict.Kind.AGREES, 2e-6, 0.01, "agrees");
    private static final EngineVerdict DIFFERS = new EngineVerdict(EngineVerdict.Kind.DIFFERS, 1.09, 0.003, "differs");
    private static final EngineVerdict UNCHECKED = EngineVerdict.unchecked("no reference");

    @Test
    void onlyAMismatchUnderTheDefaultInstructionSetRestarts() {
        EngineCheck defaultIsa = EngineCheck.of(TINY.toUri().toString(), LABELS, "cse546", env(null));
        EngineCheck avx2 = EngineCheck.of(TINY.toUri().toString(), LABELS, "cse546", env("AVX2"));
        EngineCheck safe = EngineCheck.of(TINY.toUri().toString(), LABELS, "cse546", env("SSE41"));
        assertTrue(defaultIsa.mustRestart(DIFFERS));
        assertTrue(avx2.mustRestart(DIFFERS));
        assertFalse(safe.mustRestart(DIFFERS), "the restarted worker serves");
        for (EngineCheck check : List.of(defaultIsa, avx2, safe)) {
            assertFalse(check.mustRestart(AGREES));
            assertFalse(check.mustRestart(UNCHECKED));
        }
        assertEquals(ClassifyResponse.ENGINE_VERIFIED, defaultIsa.replyField(AGREES));
        assertEquals(ClassifyResponse.ENGINE_UNCHECKED, defaultIsa.replyField(UNCHECKED));
        assertEquals(ClassifyResponse.ENGINE_WRONG_LOGITS, defaultIsa.replyField(DIFFERS));
        assertEquals(ClassifyResponse.ENGINE_SAFE_ISA, safe.replyField(DIFFERS));
    }

    @Test
    void aVerdictIsCachedPerModelCodeAndCpu() throws Exception {
        Path model = Files.copy(TINY, cacheDir.resolve("model.pt"));
        EngineCheck check = EngineCheck.of(model.toUri().toString(), LABELS, "cse546", env(null));
        assertEquals(Optional.empty(), check.cached());
        new EngineCache(cacheFile(check)).write(DIFFERS);
        assertEquals(Optional.of(DIFFERS), EngineCheck.of(model.toUri().toString(), LABELS, "cse546", env(null)).cached(),
                "a second worker start finds the verdict");
        assertEquals(Optional.empty(), EngineCheck.of(model.toUri().toString(), LABELS, "imagenet", env(null)).cached(), "other profile");
        Files.setLastModifiedTime(model, FileTime.fromMillis(Files.getLastModifiedTime(model).toMillis() - 60_000));
        assertEquals(Optional.empty(), EngineCheck.of(model.toUri().toString(), LABELS, "cse546", env(null)).cached(), "model file replaced");
        String url = model.toUri().toString();
        assertNotEquals(EngineCache.key(url, LABELS, "cse546", "app.jar 1 2", "model name : AMD EPYC\nflags : avx2"),
                EngineCache.key(url, LABELS, "cse546", "app.jar 1 2", "model name : AMD EPYC\nflags : avx512f"), "other CPU");
        assertNotEquals(EngineCache.key(url, LABELS, "cse546", "app.jar 1 2", "cpu"), EngineCache.key(url, LABELS, "cse546", "app.jar 1 3", "cpu"),
                "other jar");
    }

    private static Path cacheFile(EngineCheck check) throws Exception {
        java.lang.reflect.Field cache = EngineCheck.class.getDeclaredField("cache");
        cache.setAccessible(true);
        return ((EngineCache) cache.get(check)).file();
    }

    @Test
    void theCheckAgreesForTheTinyModelAndCachesIt() throws Exception {
        EngineCheck check = EngineCheck.of(TINY.toUri().toString(), LABELS, "cse546", env(null));
        EngineCheck.Reference reference = check.startReference();
        try (ImageClassifier classifier = Classifiers.load(ModelSettings.of(TINY.toUri().toString(), LABELS, "cse546"))) {
            EngineVerdict verdict = check.verify(classifier, reference);
            assertEquals(EngineVerdict.Kind.AGREES, verdict.kind(), verdict.detail());
            assertTrue(verdict.maxDifference() < 1e-4, verdict.detail());
            assertEquals(Optional.of(verdict.kind()), check.cached().map(EngineVerdict::kind));
        }
    }

    @Test
    void theCheckFindsAnEngineThatIsOffByTheReportedError() throws Exception {
        EngineCheck check = EngineCheck.of(TINY.toUri().toString(), LABELS, "cse546", env(null));
        EngineCheck.Reference reference = check.startReference();
        try (ImageClassifier real = Classifiers.load(ModelSettings.of(TINY.toUri().toString(), LABELS, "cse546"))) {
            ImageClassifier wrong = new OffByOne(real);
            EngineVerdict verdict = check.verify(wrong, reference);
            assertTrue(verdict.differs(), verdict.detail());
            assertTrue(check.mustRestart(verdict));
            assertEquals(Optional.of(EngineVerdict.Kind.DIFFERS), check.cached().map(EngineVerdict::kind));
        }
    }

    @Test
    void aReferenceThatCannotRunLeavesTheEngineUnchecked() throws Exception {
        EngineCheck check = EngineCheck.of(TINY.toUri().toString(), LABELS, "cse546", env(null));
        try (ImageClassifier real = Classifiers.load(ModelSettings.of(TINY.toUri().toString(), LABELS, "cse546"))) {
            EngineVerdict verdict = check.verify(real, new EngineCheck.Reference(null, "cannot start the SSE4.1 reference run: no java"));
            assertEquals(EngineVerdict.Kind.UNCHECKED, verdict.kind());
            assertFalse(check.mustRestart(verdict));
        }
    }

    /** An engine whose logits are the real ones with the reported fault's error on one of them. */
    private record OffByOne(ImageClassifier real) implements ImageClassifier {
        @Override
        public String modelId() {
            return real.modelId();
        }

        @Override
        public boolean untrained() {
            return false;
        }

        @Override
        public List<Outcome> classify(List<byte[]> images) {
            return real.classify(images);
        }

        @Override
        public float[] rawLogits(byte[] image) {
            float[] logits = real.rawLogits(image);
            logits[42] += 1.09f;
            return logits;
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
