package dev.hybrid.worker.engine;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Verdicts on disk, one small file per model, worker jar and CPU, so that the check (a second JVM
 * loading the model) runs once and not at every worker start. The file lives in
 * {@code HYBRID_ENGINE_CHECK_DIR}, else {@code $DJL_CACHE_DIR/engine-check}, else
 * {@code ~/.djl.ai/engine-check}; deleting it makes the next worker check again.
 */
final class EngineCache {
    /** Bump when the check image or the comparison changes: old verdicts then no longer count. */
    private static final String CHECK_VERSION = "1";

    private final Path file;

    EngineCache(Path file) {
        this.file = file;
    }

    static Path directory(Map<String, String> env) {
        String explicit = env.get(dev.hybrid.contract.EnvNames.ENGINE_CHECK_DIR);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit.trim());
        }
        String djl = env.get("DJL_CACHE_DIR");
        Path base = djl != null && !djl.isBlank() ? Path.of(djl.trim()) : Path.of(System.getProperty("user.home"), ".djl.ai");
        return base.resolve("engine-check");
    }

    /**
     * The identity of what the verdict depends on: the model (its URL, labels and profile; for a file its
     * size and time), the worker's code (the jar's size and time) and the CPU (model name and flags).
     */
    static String key(String modelUrl, String labels, String profile, String code, String cpu) {
        List<String> parts = List.of("check " + CHECK_VERSION, "model " + modelUrl, "model-file " + fileIdentity(modelUrl),
                "labels " + labels, "profile " + profile, "code " + code, "cpu " + cpu);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fileIdentity(String modelUrl) {
        if (modelUrl == null || !modelUrl.startsWith("file:")) {
            return "-";
        }
        try {
            return describe(Path.of(new URI(modelUrl)));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "unreadable";
        }
    }

    /** Size and modification time of a file, or the path of a directory (test classes). */
    static String describe(Path path) {
        try {
            return Files.isRegularFile(path) ? path.toAbsolutePath() + " " + Files.size(path) + " " + Files.getLastModifiedTime(path).toMillis()
                    : path.toAbsolutePath().toString();
        } catch (IOException e) {
            return path + " unreadable";
        }
    }

    /** The CPU as oneDNN sees it: the first processor's model name and feature flags. */
    static String cpu() {
        try {
            StringBuilder cpu = new StringBuilder();
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.isBlank() && cpu.length() > 0) {
                    break;
                }
                if (line.startsWith("model name") || line.startsWith("flags") || line.startsWith("vendor_id")) {
                    cpu.append(line.replaceAll("\\s+", " ")).append('\n');
                }
            }
            return cpu.length() > 0 ? cpu.toString() : System.getProperty("os.arch");
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    Path file() {
        return file;
    }

    Optional<EngineVerdict> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
            return Optional.of(new EngineVerdict(EngineVerdict.Kind.valueOf(properties.getProperty("verdict")),
                    Double.parseDouble(properties.getProperty("maxDifference")), Double.parseDouble(properties.getProperty("tolerance")),
                    properties.getProperty("detail", "")));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Written under a name of its own, then moved: workers may start side by side. */
    void write(EngineVerdict verdict) throws IOException {
        Files.createDirectories(file.getParent());
        Properties properties = new Properties();
        properties.setProperty("verdict", verdict.kind().name());
        properties.setProperty("maxDifference", Double.toString(verdict.maxDifference()));
        properties.setProperty("tolerance", Double.toString(verdict.tolerance()));
        properties.setProperty("detail", verdict.detail());
        Path partial = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".part");
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            properties.store(out, "engine check: default instruction set against DNNL_MAX_CPU_ISA=SSE41");
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
