package dev.hybrid.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.engine.StateCache;
import dev.hybrid.cli.local.ChildProcess;
import dev.hybrid.cli.local.LocalLayout;
import dev.hybrid.cli.output.BenchFigures;
import dev.hybrid.cli.output.BenchTimeline;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.cli.service.BoundedUploads;
import dev.hybrid.cli.service.WebTierClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Sends images to the web tier and prints throughput and latency percentiles.",
                "Each upload gets random bytes appended after the image's end, so the result cache cannot answer it",
                "(--cached to measure the cache instead). Exit code 3 if any request failed."})
public final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParentCommand
    ConsoleSource main;

    /** Set when the command runs. */
    private Console console;

    @Mixin
    WebTierOptions web;

    @Option(names = {"-n", "--requests"}, paramLabel = "N", description = "How many requests (default: one per image).")
    Integer requests;

    @Option(names = "--cached", description = "Send the images unchanged, so repeated ones may come from the result cache.")
    boolean cached;

    @Option(names = "--timeline", paramLabel = "PREFIX",
            description = "Write the backlog/worker timeline to PREFIX.json, PREFIX.svg and PREFIX.png (default: .hybrid/bench/STACK-TIME).")
    Path timelinePrefix;

    @Option(names = "--no-timeline", description = "Do not sample /metrics or write the timeline.")
    boolean noTimeline;

    @Option(names = "--tail", defaultValue = "5", paramLabel = "SECONDS",
            description = "Keep sampling this long after the last reply, to show the scale-in (default: ${DEFAULT-VALUE}).")
    int tailSeconds;

    @Option(names = "--compare-raw", description = {"Also time the same images through the same model in one JVM (no queue, HTTP or S3)",
            "and report the ratio of the bench's wall time to it."})
    boolean compareRaw;

    @Option(names = "--raw-threads", paramLabel = "N",
            description = "With --compare-raw: threads sharing the model (default: this machine's cores, as local mode's workers).")
    Integer rawThreads;

    @Option(names = "--model", paramLabel = "URL", description = "With --compare-raw: the model the stack's workers use (default: theirs).")
    String model;

    @Option(names = "--profile", defaultValue = "cse546", paramLabel = "cse546|imagenet",
            description = "With --compare-raw: the workers' preprocessing profile (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--simulate", description = {"Instead of a real burst, simulate one against the autoscaler on virtual time",
            "(EC2-like start delays, with and without warm pool and base capacity) and print the table."})
    boolean simulate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "With --simulate: the random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--service-ms", defaultValue = "100", paramLabel = "MS",
            description = "With --simulate: mean time per image on one worker (default: ${DEFAULT-VALUE}).")
    long serviceMillis;

    @Parameters(paramLabel = "IMAGE|DIR", description = "Image files, or directories of .jpg/.jpeg/.png files; reused in turn.")
    List<Path> images;

    @Override
    public Integer call() throws IOException, InterruptedException {
        console = main.console();
        if (simulate) {
            return simulate();
        }
        List<Path> files = ImageFiles.expand(images);
        int total = requests == null ? files.size() : requests;
        if (total < 1) {
            throw new ConfigurationException("--requests must be at least 1, not " + total);
        }
        List<byte[]> contents = new ArrayList<>();
        for (Path file : files) {
            contents.add(Files.readAllBytes(file));
        }
        WebTierClient client = new WebTierClient(web.url(console), web.timeout());
        List<Supplier<CompletableFuture<WebTierClient.Classification>>> sends = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int index = i % files.size();
            String name = files.get(index).getFileName().toString();
            sends.add(() -> client.classify(name, cached ? contents.get(index) : withUniqueTail(contents.get(index))));
        }
        if (tailSeconds < 0) {
            throw new ConfigurationException("--tail must be 0 or more seconds, not " + tailSeconds);
        }
        URI url = web.url(console);
        AtomicLong answered = new AtomicLong();
        BenchTimeline timeline = noTimeline ? null : BenchTimeline.start(url, answered::get, Duration.ofMillis(250));
        long start = System.nanoTime();
        List<WebTierClient.Classification> results = BoundedUploads.run(sends, web.concurrency(), result -> answered.incrementAndGet());
        long wallMillis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        BenchFigures figures = BenchFigures.of(results.size(), WebTierClient.Classification.answeredMillis(results), wallMillis);
        List<Path> written = timeline == null ? List.of() : finish(timeline, total);
        RawFigure raw = compareRaw ? rawInference(files, total) : null;
        int code = figures.failed() == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        if (console.json()) {
            ObjectNode document = JsonReports.object();
            document.put("command", "bench").put("ok", code == ExitCodes.OK).put("exitCode", code)
                    .put("url", web.url(console).toString()).put("concurrency", web.concurrency()).put("cached", cached);
            figures.into(document);
            if (raw != null) {
                document.putObject("raw").put("millis", raw.millis()).put("threads", raw.threads()).put("modelId", raw.modelId())
                        .put("ratio", (double) wallMillis / Math.max(1, raw.millis()));
            }
            ArrayNode timelineFiles = document.putArray("timeline");
            written.forEach(file -> timelineFiles.add(file.toString()));
            JsonReports.print(console.out(), document);
        } else {
            console.out().printf(Locale.ROOT, "bench %s: %d requests, concurrency %d%s%n", web.url(console), total, web.concurrency(),
                    cached ? ", images unchanged (cache may answer)" : "");
            figures.print(console.out());
            results.stream().filter(result -> !result.ok()).limit(3)
                    .forEach(result -> console.out().printf("  failed: %s: %s%n", result.name(), result.error()));
            if (raw != null) {
                console.out().printf(Locale.ROOT, "  raw in-JVM inference of the same %d images (%s, %d threads): %.2f s; ratio %.2f%n", total,
                        raw.modelId(), raw.threads(), raw.millis() / 1000.0, (double) wallMillis / Math.max(1, raw.millis()));
            }
            written.forEach(file -> console.out().printf("  timeline %s%n", file));
            console.out().flush();
        }
        return code;
    }

    record RawFigure(long millis, int threads, String modelId) {
    }

    /** The same images, in the same order, through the worker's own model code in the app tier's jar. */
    private RawFigure rawInference(List<Path> files, int total) throws IOException, InterruptedException {
        LocalLayout layout = LocalLayout.of(console.stack(), console.env());
        if (!Files.isRegularFile(layout.workerJar())) {
            throw new ConfigurationException(layout.workerJar() + " is missing: build the jars with 'mvn -B package -DskipTests'");
        }
        int threads = rawThreads != null ? rawThreads : Runtime.getRuntime().availableProcessors();
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), "-cp", layout.workerJar().toString(),
                "dev.hybrid.worker.RawInference", "--threads", Integer.toString(threads), "--profile", profile));
        if (model != null) {
            command.addAll(List.of("--model", model));
        }
        for (int i = 0; i < total; i++) {
            command.add(files.get(i % files.size()).toAbsolutePath().toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putIfAbsent("OPT_OUT_TRACKING", "true");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (process.waitFor() != 0 || output.isEmpty()) {
            throw new ConfigurationException("the raw inference run failed (exit " + process.exitValue() + "); run it alone to see why: "
                    + String.join(" ", command.subList(0, Math.min(command.size(), 9))) + " …");
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output.lines().reduce((a, b) -> b).orElseThrow());
        return new RawFigure(json.get("millis").asLong(), json.get("threads").asInt(), json.get("modelId").asText());
    }

    /** The simulation is a jar of its own beside the web tier's (module scaling-simulation); it runs in a JVM of its own. */
    private int simulate() throws IOException, InterruptedException {
        int burst = requests == null ? 100 : requests;
        LocalLayout layout = LocalLayout.of(console.stack(), console.env());
        Path simulation = LocalLayout.simulationJar(console.env());
        for (Path jar : List.of(simulation, layout.webJar())) {
            if (!Files.isRegularFile(jar)) {
                throw new ConfigurationException(jar + " is missing: build the jars with 'mvn -B package -DskipTests' "
                        + "(the ./hybrid launcher does this by itself)");
            }
        }
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), "-jar", simulation.toString(),
                "--seed", Long.toString(seed), "--requests", Integer.toString(burst), "--service-ms", Long.toString(serviceMillis)));
        if (console.json()) {
            command.add("--json");
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            console.err().println("hybrid: the simulation failed (exit " + exit + ")");
            return ExitCodes.FAILED;
        }
        if (console.json()) {
            ObjectNode document = JsonReports.object().put("command", "bench").put("ok", true).put("exitCode", ExitCodes.OK)
                    .put("simulated", true).put("seed", seed).put("requests", burst).put("serviceMillis", serviceMillis);
            document.set("scenarios", new com.fasterxml.jackson.databind.ObjectMapper().readTree(output));
            JsonReports.print(console.out(), document);
        } else {
            console.out().print(output);
            console.out().flush();
        }
        return ExitCodes.OK;
    }

    /** Samples the scale-in for {@code --tail} seconds, then writes the JSON and the chart; the paths written. */
    private List<Path> finish(BenchTimeline timeline, int total) {
        try (timeline) {
            Thread.sleep(tailSeconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!timeline.hasGauges()) {
            console.err().println("hybrid: the web tier's /metrics has no backlog or worker gauges; the timeline shows answered requests only");
        }
        Path prefix = timelinePrefix != null ? timelinePrefix : StateCache.defaultDirectory(console.env()).resolve("bench")
                .resolve(console.stack() + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        Path json = Path.of(prefix + ".json");
        try {
            timeline.writeJson(json);
            timeline.writeCharts(prefix, "hybrid bench: " + total + " requests, concurrency " + web.concurrency());
            return List.of(json, Path.of(prefix + ".svg"), Path.of(prefix + ".png"));
        } catch (IOException e) {
            console.err().println("hybrid: could not write the timeline to " + prefix + ".*: " + e.getMessage());
            return List.of();
        }
    }

    /** JPEG and PNG decoders stop at the image's end marker, so trailing bytes change the hash, not the picture. */
    private static byte[] withUniqueTail(byte[] image) {
        byte[] tail = new byte[16];
        RANDOM.nextBytes(tail);
        byte[] unique = java.util.Arrays.copyOf(image, image.length + tail.length);
        System.arraycopy(tail, 0, unique, image.length, tail.length);
        return unique;
    }
}
