package dev.hybrid.worker.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine check adds to a worker start whose verdict is cached: in a fresh JVM each time (the
 * worker's JIT and collector options), the first {@code EngineCheck.of(...).cached()}: class loading,
 * reading /proc/cpuinfo, the key's hash and one small file (logging is started first, as in the worker).
 * Prints each run and the median.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.hybrid.worker.engine.EngineCheckStartCost [runs]
 * </pre>
 */
public final class EngineCheckStartCost {
    private EngineCheckStartCost() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("HYBRID_ENGINE_CHECK_DIR", args[1]);
            // The worker has its logging up before the check (WorkerMain logs); do not count logback's start here.
            org.slf4j.LoggerFactory.getLogger(EngineCheckStartCost.class).debug("logging started");
            long start = System.nanoTime();
            EngineCheck check = EngineCheck.of("djl://ai.djl.pytorch/resnet", null, "cse546", env);
            boolean found = check.cached().isPresent();
            System.out.printf("first check %.1f ms (verdict cached: %s)%n", (System.nanoTime() - start) / 1e6, found);
            if (!found) {
                check.record(new EngineVerdict(EngineVerdict.Kind.AGREES, 0, 1e-3, "recorded by EngineCheckStartCost"));
            }
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        Path dir = Files.createTempDirectory("engine-check-cost");
        double[] millis = new double[runs];
        for (int run = 0; run < runs; run++) {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    EngineCheckStartCost.class.getName(), "child", dir.toString()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            System.out.println("run " + run + ": " + out);
            millis[run] = Double.parseDouble(out.replaceAll("^first check ([0-9.]+) ms.*$", "$1"));
        }
        double[] cached = java.util.Arrays.copyOfRange(millis, 1, runs);
        java.util.Arrays.sort(cached);
        System.out.printf("median with the verdict cached (runs 1-%d): %.1f ms%n", runs - 1, cached[cached.length / 2]);
        for (Path file : List.of(dir.toFile().listFiles()).stream().map(java.io.File::toPath).toList()) {
            Files.delete(file);
        }
        Files.delete(dir);
    }
}
