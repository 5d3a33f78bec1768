package dev.hybrid.e2e;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.contract.Wire;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The pipeline's figures, printed, never asserted: P1 and P2 (end-to-end wall time over raw
 * in-JVM inference of the same images, same model, same thread count), worker cold start, cached
 * throughput of the web tier (with wrk, when installed) and the worker's peak RSS.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl e2e test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.hybrid.e2e.PipelineBenchmark}; add {@code -Dexec.args="P1"}
 * (or P2, cold, wrk) for some figures only, and HYBRID_WORKER_LOG_LEVEL=DEBUG in the environment for the
 * worker's per-batch stage timings in its log.
 */
public final class PipelineBenchmark {
    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path logs = Files.createTempDirectory("hybrid-bench");
        System.out.println("hybrid pipeline benchmark (logs in " + logs + ")");
        // Arguments pick figures (P1 P2 cold wrk) for a quicker run; none means all.
        Set<String> wanted = args.length == 0 ? Set.of("P1", "P2", "cold", "wrk") : Set.of(args);
        if (wanted.contains("P1")) {
            ratio("P1", 64, 64, logs.resolve("p1"));
        }
        if (wanted.contains("P2")) {
            ratio("P2", 640, 480, logs.resolve("p2"));
        }
        if (wanted.contains("cold")) {
            coldStart(logs.resolve("cold"));
        }
        if (wanted.contains("wrk")) {
            cachedThroughput(logs.resolve("wrk"));
        }
    }

    private static List<byte[]> images(int count, int width, int height, int firstSeed) {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(GeneratedImages.image(10_000L * width + firstSeed + i, width, height, "jpg"));
        }
        return images;
    }

    /** Wall time of one round of concurrent uploads, all answered 200; prints the CPU each process spent meanwhile. */
    private static double round(String name, Pipeline pipeline, ChildJvm worker, Uploads uploads, List<byte[]> images, String prefix) {
        long[] cpuBefore = {cpuMillis(pipeline.web.pid()), cpuMillis(worker.pid()), ownCpuMillis()};
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            inFlight.add(uploads.send("myfile", prefix + i + ".JPEG", images.get(i), Duration.ofSeconds(600)));
        }
        long ok = inFlight.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
        double seconds = (System.nanoTime() - start) / 1e9;
        // Two cores serve everything: CPU spent outside the model is time the model does not get.
        System.out.printf(Locale.ROOT, "%s: %d of %d answered 200; CPU meanwhile: web %.2f s, worker %.2f s, emulators and client %.2f s%n",
                name, ok, images.size(), (cpuMillis(pipeline.web.pid()) - cpuBefore[0]) / 1e3,
                (cpuMillis(worker.pid()) - cpuBefore[1]) / 1e3, (ownCpuMillis() - cpuBefore[2]) / 1e3);
        return seconds;
    }

    /**
     * End-to-end wall time of 100 concurrent uploads over the raw in-JVM time of the same 100 images: once for the
     * first round, which meets freshly started JVMs, and then, after warm-up rounds, for measured rounds of the
     * settled pipeline, each against the raw time of its own images measured just before it.
     */
    private static void ratio(String name, int width, int height, Path logs) throws Exception {
        boolean small = name.equals("P1");
        // A P1 round is about a second of work, so C2 needs many of them; a P2 round is half a minute.
        int warmupRounds = Integer.getInteger("bench.warmupRounds", small ? 15 : 2);
        int measuredRounds = Integer.getInteger("bench.rounds", small ? 5 : 3);
        String size = width + "x" + height;
        List<byte[]> images = images(100, width, height, 0);

        try (Pipeline pipeline = new Pipeline(logs, 120)) {
            pipeline.startWeb();
            ChildJvm worker = pipeline.startWorker("bench", "--threads", "1");
            worker.awaitReady(Duration.ofSeconds(180));
            Uploads uploads = new Uploads(pipeline.webUrl);
            uploads.send("myfile", "warmup.JPEG", GeneratedImages.image(-1, 64, 64, "jpg"),
                    Duration.ofSeconds(120)).join();
            double rawSeconds = pipeline.rawSeconds(images, "round1");
            double e2eSeconds = round(name, pipeline, worker, uploads, images, "img_");
            System.out.printf(Locale.ROOT, "%s: first round, %d images %s; end-to-end %.2f s, raw in-JVM %.2f s, ratio %.2f (1 worker loop, batches of 10)%n",
                    name, images.size(), size, e2eSeconds, rawSeconds, e2eSeconds / rawSeconds);
            List<Double> ratios = new ArrayList<>();
            for (int round = 2; round <= 1 + warmupRounds + measuredRounds; round++) {
                List<byte[]> others = images(images.size(), width, height, 5_000 * (round - 1));
                boolean measured = round > 1 + warmupRounds;
                double otherRaw = measured ? pipeline.rawSeconds(others, "round" + round) : rawSeconds;
                double againSeconds = round(name, pipeline, worker, uploads, others, "round" + round + "_");
                System.out.printf(Locale.ROOT, "%s: round %d (%s), 100 other %s images: end-to-end %.2f s, raw in-JVM %.2f s%s, ratio %.2f%n",
                        name, round, measured ? "measured" : "warm-up", size, againSeconds, otherRaw,
                        measured ? "" : " (the first round's)", againSeconds / otherRaw);
                if (measured) {
                    ratios.add(againSeconds / otherRaw);
                }
            }
            if (!ratios.isEmpty()) {
                List<Double> sorted = ratios.stream().sorted().toList();
                System.out.printf(Locale.ROOT, "%s: settled, after %d warm-up rounds: median ratio %.2f of %d measured rounds (%.2f to %.2f); load average %s%n",
                        name, warmupRounds, sorted.get(sorted.size() / 2), sorted.size(), sorted.get(0), sorted.get(sorted.size() - 1),
                        loadAverage());
            }
            System.out.printf(Locale.ROOT, "%s: worker peak RSS %d MiB%n", name, peakRssMiB(worker.pid()));
        }
    }

    /** Process start to the first reply, model load included, for a request already waiting. */
    private static void coldStart(Path logs) throws Exception {
        try (Pipeline pipeline = new Pipeline(logs, 30)) {
            byte[] image = GeneratedImages.image(7, 64, 64, "jpg");
            String id = UUID.randomUUID().toString();
            pipeline.sqs.sendMessage(b -> b.queueUrl(pipeline.requestQueue).messageBody(Wire.toJson(
                    new ClassifyRequest(id, "cold.JPEG", "sha", Wire.encodeImage(image), null, System.currentTimeMillis()))));
            long start = System.nanoTime();
            pipeline.startWorker("cold", "--threads", "1");
            while (true) {
                var messages = pipeline.sqs.receiveMessage(b -> b.queueUrl(pipeline.responseQueue).waitTimeSeconds(1)).messages();
                if (!messages.isEmpty()) {
                    break;
                }
            }
            double firstReply = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "cold start: process start -> first reply %.2f s%n", firstReply);
        }
    }

    /** Requests per second and p99 for an upload the cache already knows, measured with wrk. */
    private static void cachedThroughput(Path logs) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            System.out.println("cached throughput: skipped, wrk is not installed (apt-get install wrk)");
            return;
        }
        try (Pipeline pipeline = new Pipeline(logs, 30)) {
            pipeline.startWeb();
            pipeline.startWorker("cache", "--threads", "1").awaitReady(Duration.ofSeconds(180));
            byte[] image = GeneratedImages.image(42, 64, 64, "jpg");
            new Uploads(pipeline.webUrl).send("myfile", "cached.JPEG", image, Duration.ofSeconds(120)).join();
            String boundary = "hybridbench";
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"myfile\"; filename=\"cached.JPEG\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(image);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            Files.createDirectories(logs);
            Path bodyFile = logs.resolve("body.bin");
            Files.write(bodyFile, body.toByteArray());
            Path script = logs.resolve("upload.lua");
            Files.writeString(script, "local f = io.open(\"" + bodyFile + "\", \"rb\")\nwrk.method = \"POST\"\nwrk.body = f:read(\"*a\")\nf:close()\n"
                    + "wrk.headers[\"Content-Type\"] = \"multipart/form-data; boundary=" + boundary + "\"\n");
            // The warm-up is long because C2 needs it: on two shared cores the web tier's cached path
            // kept getting faster for about a minute of load after a cold start (JIT, not the cache).
            // Then wrk with two threads and with one: its threads take the same two cores from the server.
            String[][] passes = {{"-t2", "-d30s", "warm-up"}, {"-t2", "-d15s", "measured"}, {"-t1", "-d15s", "measured"}};
            for (String[] pass : passes) {
                long cpuBefore = cpuMillis(pipeline.web.pid());
                Process wrk = new ProcessBuilder("/usr/bin/wrk", pass[0], "-c64", pass[1], "--latency",
                        "-s", script.toString(), pipeline.webUrl.toString() + "/").redirectErrorStream(true).start();
                String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                wrk.waitFor();
                long webCpu = cpuMillis(pipeline.web.pid()) - cpuBefore;
                if (pass[2].equals("measured")) {
                    System.out.printf("cached throughput (wrk %s -c64 %s, after a 30 s warm-up):%n", pass[0], pass[1]);
                    out.lines().filter(l -> l.contains("Requests/sec") || l.matches("\\s+(50|90|99)%.*") || l.contains("Non-2xx")
                            || l.contains("requests in")).forEach(l -> System.out.println("  " + l.strip()));
                    // CPU per request is the steadier figure when other tenants share the cores.
                    out.lines().filter(l -> l.contains("requests in")).findFirst().ifPresent(l -> {
                        long requests = Long.parseLong(l.strip().split("\\s+")[0]);
                        System.out.printf("  web tier CPU: %.1f s, %.0f us per request; load average %s%n", webCpu / 1e3,
                                webCpu * 1e3 / Math.max(1, requests), loadAverage());
                    });
                }
            }
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static long cpuMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(java.time.Duration::toMillis).orElse(-1L);
    }

    private static long ownCpuMillis() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1_000_000 : -1;
    }

    private static long peakRssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
