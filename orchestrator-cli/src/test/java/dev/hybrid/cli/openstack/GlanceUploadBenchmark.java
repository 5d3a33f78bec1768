package dev.hybrid.cli.openstack;

import dev.hybrid.cli.config.CloudConfigLoader;
import dev.hybrid.cli.config.CloudsFileLocator;
import dev.hybrid.cli.config.WebImageSource;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.openstack.auth.KeystoneSession;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a sparse VMDK into devstack-lite's Glance twice: through {@link WebImage} in a JVM with a 256 MiB heap,
 * and through {@code openstack image create}, and prints both throughputs, their ratio and the JVM's peak RSS.
 * Run: {@code mvn -B -q -pl orchestrator-cli -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.hybrid.cli.openstack.GlanceUploadBenchmark [-Dexec.args=SIZE_MIB]}, with devstack-lite up.
 */
public final class GlanceUploadBenchmark {
    private static final String CLOUD = "devstack-lite";

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--upload")) {
            uploadInThisJvm(Path.of(args[1]));
            return;
        }
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        Path file = Files.createTempFile("hybrid-bench-", ".vmdk");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(mib << 20);
        }
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", classPath(), GlanceUploadBenchmark.class.getName(), "--upload", file.toString()));
            ProcessBuilder ours = new ProcessBuilder(command).redirectErrorStream(true);
            ours.environment().putAll(env());
            Process child = ours.start();
            String report = new String(child.getInputStream().readAllBytes()).strip();
            if (child.waitFor() != 0) {
                throw new IllegalStateException("the upload failed:\n" + report);
            }
            String last = report.lines().reduce((a, b) -> b).orElseThrow();
            double ourSeconds = Double.parseDouble(last.split(" ")[0]);
            String rss = last.split(" ")[1];

            long started = System.nanoTime();
            ProcessBuilder cli = new ProcessBuilder("openstack", "--os-cloud", CLOUD, "image", "create", "--disk-format", "vmdk",
                    "--container-format", "bare", "--file", file.toString(), "-f", "value", "-c", "id", "hybrid-bench-cli").redirectErrorStream(true);
            cli.environment().putAll(env());
            Process openstack = cli.start();
            String id = new String(openstack.getInputStream().readAllBytes()).strip();
            if (openstack.waitFor() != 0) {
                throw new IllegalStateException("openstack image create failed: " + id);
            }
            double cliSeconds = (System.nanoTime() - started) / 1e9;
            new ProcessBuilder("openstack", "--os-cloud", CLOUD, "image", "delete", id).inheritIO().start().waitFor();

            System.out.printf("glance upload of a %d MiB sparse VMDK on loopback%n", mib);
            System.out.printf("  hybrid (WebImage, -Xmx256m)  %6.1f s  %6.1f MiB/s  peak RSS %s MiB%n", ourSeconds, mib / ourSeconds, rss);
            System.out.printf("  openstack image create       %6.1f s  %6.1f MiB/s%n", cliSeconds, mib / cliSeconds);
            System.out.printf("  ratio hybrid/openstack time  %6.2f%n", ourSeconds / cliSeconds);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** exec:java loads the project in a class loader of its own; java.class.path is Maven's. */
    private static String classPath() throws Exception {
        if (GlanceUploadBenchmark.class.getClassLoader() instanceof java.net.URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (java.net.URL url : loader.getURLs()) {
                entries.add(Path.of(url.toURI()).toString());
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("OS_CLIENT_CONFIG_FILE", Path.of("devstack/lite/clouds.yaml").toAbsolutePath().toString());
        return env;
    }

    /** Prints "SECONDS PEAK_RSS_MIB" on its last line. */
    private static void uploadInThisJvm(Path file) throws Exception {
        OpenStackApi api = new OpenStackApi(KeystoneSession.forCloud(
                new CloudConfigLoader(env(), CloudsFileLocator.forThisMachine(env())).load(CLOUD)));
        api.session().token();
        StackContext context = new StackContext("bench", "b0000001");
        WebImage image = new WebImage(api, ImageSource.of(new WebImageSource.LocalFile(file), () -> null, null), ProgressBars.NONE);
        long started = System.nanoTime();
        Observed uploaded = image.create(context);
        double seconds = (System.nanoTime() - started) / 1e9;
        image.delete(uploaded, context);
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("VmHWM:"))
                .map(line -> line.replaceAll("\\D", "")).findFirst().orElse("0");
        System.out.printf("%.2f %d%n", seconds, Long.parseLong(hwm) / 1024);
    }
}
