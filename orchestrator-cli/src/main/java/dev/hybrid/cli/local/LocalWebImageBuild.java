package dev.hybrid.cli.local;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.engine.ProgressBars;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hybrid image build web-tier --local}: runs images/web-tier/build-local.sh (debootstrap, no AWS) and shows its
 * numbered steps as a bar. The script does the work and the caching; this class only starts it, follows its progress
 * lines on stderr and takes the VMDK's path from its stdout.
 */
public final class LocalWebImageBuild {
    static final Path SCRIPT = Path.of("images", "web-tier", "build-local.sh");
    private static final Pattern STEP = Pattern.compile("^\\[image (\\d+)/(\\d+)] (.*)$");
    private static final Pattern CACHED = Pattern.compile("^\\[image] cached: .*");
    private static final Pattern ERROR = Pattern.compile("^build-local: ERROR: (.*)$");
    private static final int TAIL_LINES = 20;

    /** @param reused true when the cache held an image built from the same inputs */
    public record Result(Path vmdk, boolean reused) {
    }

    /** One parsed line of the script's stderr. */
    record Line(int step, int steps, String text, boolean cached, String error) {
        static Line parse(String line) {
            Matcher step = STEP.matcher(line);
            if (step.matches()) {
                return new Line(Integer.parseInt(step.group(1)), Integer.parseInt(step.group(2)), step.group(3), false, null);
            }
            Matcher error = ERROR.matcher(line);
            return new Line(0, 0, line, CACHED.matcher(line).matches(), error.matches() ? error.group(1) : null);
        }
    }

    private LocalWebImageBuild() {
    }

    /** The checkout holding the web-tier jar also holds the recipe. */
    public static Path scriptBeside(Path webJar) {
        Path home = webJar.toAbsolutePath().getParent().getParent().getParent();
        return home.resolve(SCRIPT);
    }

    public static Result run(Path script, Path webJar, ProgressBars bars, Consumer<String> verbose) {
        if (!Files.isRegularFile(script)) {
            throw new ConfigurationException(script + " is missing: run hybrid from a checkout of the project");
        }
        if (!Files.isRegularFile(webJar)) {
            throw new ConfigurationException(webJar + " is missing: build it with 'mvn -B package -DskipTests'");
        }
        Process process;
        try {
            process = new ProcessBuilder(List.of("bash", script.toString(), "--jar", webJar.toString()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + script + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Deque<String> tail = new ArrayDeque<>();
        String error = null;
        boolean cached = false;
        ProgressBars.Bar bar = null;
        int steps = 0;
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String raw = err.readLine(); raw != null; raw = err.readLine()) {
                verbose.accept(raw);
                Line line = Line.parse(raw);
                if (line.step() > 0) {
                    if (bar == null) {
                        steps = line.steps();
                        bar = bars.start("web-tier image", steps, "steps");
                    }
                    bar.stepTo(line.step() - 1L);
                    bar.note(line.text());
                } else {
                    cached |= line.cached();
                    if (line.error() != null) {
                        error = line.error();
                    }
                    tail.addLast(raw);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
            int code = process.waitFor();
            if (bar != null) {
                bar.stepTo(code == 0 ? steps : 0);
            }
            if (code != 0) {
                throw new IllegalStateException("the local web-tier image build failed: "
                        + (error != null ? error : "exit code " + code + (tail.isEmpty() ? "" : ", last line: " + tail.getLast())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the image build's progress failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the local web-tier image build was interrupted", e);
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        String out = stdout.join().strip();
        String first = out.lines().findFirst().orElse("");
        if (first.isEmpty() || !first.endsWith(".vmdk")) {
            throw new IllegalStateException("the local web-tier image build printed no VMDK path");
        }
        return new Result(Path.of(first), cached);
    }
}
