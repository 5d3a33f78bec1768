package dev.hybrid.worker;

import static org.junit.jupiter.api.Assertions.*;

import dev.hybrid.contract.ClassifyRequest;
import dev.hybrid.contract.ClassifyResponse;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped entry point with the real model, as a child process, offline. Runs the shaded jar when
 * it is at least as new as the compiled classes, otherwise the same main class from the test classpath.
 */
@EnabledIf("modelLoaderPresent")
class RealModelWorkerProcessTest {
    private static final Pattern READY = Pattern.compile("hybrid-worker ready worker=(\\S+) model=(\\S+) untrained=(true|false)");

    @TempDir
    Path dir;
    private Process process;

    static boolean modelLoaderPresent() {
        try {
            Class.forName("dev.hybrid.worker.model.Classifiers");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @AfterEach
    void killLeftover() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> command() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dai.djl.offline=true"));
        Path classes = Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = classes.getParent().resolve("hybrid-app-tier.jar");
        if (Files.isRegularFile(jar) && Files.getLastModifiedTime(jar).compareTo(newestClass(classes)) >= 0) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
        }
        return command;
    }

    private static FileTime newestClass(Path classes) throws IOException {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(Files::isRegularFile).map(file -> {
                try {
                    return Files.getLastModifiedTime(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max(FileTime::compareTo).orElseThrow();
        }
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        graphics.setColor(Color.ORANGE);
        graphics.fillRect(0, 0, 224, 224);
        graphics.setColor(Color.BLUE);
        graphics.fillOval(40, 40, 140, 140);
        graphics.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    @Test
    void readyLineAnswerAndExitZeroOnSigterm() throws Exception {
        try (LocalQueues local = new LocalQueues(30)) {
            ProcessBuilder builder = new ProcessBuilder(command()).redirectError(dir.resolve("stderr.txt").toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("HYBRID_"));
            env.putAll(local.workerEnvironment());
            env.put("HYBRID_WORKER_ID", "w-real");
            env.put("OPT_OUT_TRACKING", "true");
            process = builder.start();
            LinkedBlockingQueue<String> lines = ChildStdout.lines(process);

            long started = System.nanoTime();
            String ready = lines.poll(5, TimeUnit.MINUTES);
            System.out.printf("%s after %d ms (%s)%n", ready, (System.nanoTime() - started) / 1_000_000, command().contains("-jar") ? "jar" : "classpath");
            assertNotNull(ready, () -> "no ready line; stderr: " + stderr());
            Matcher matcher = READY.matcher(ready);
            assertTrue(matcher.matches(), ready);
            assertEquals("w-real", matcher.group(1));

            ClassifyRequest request = local.send("real_0.png", png());
            ClassifyResponse reply = local.awaitReplies(1, Duration.ofMinutes(2)).get(request.requestId());
            assertNotNull(reply, () -> "no reply; stderr: " + stderr());
            assertNull(reply.error(), () -> reply.error().toString());
            assertEquals(matcher.group(2), reply.modelId());
            assertTrue(!reply.top5().isEmpty() && reply.top5().size() <= 5, reply.top5()::toString);
            assertEquals(reply.top5().get(0).label(), reply.label());
            assertEquals(reply.label(), local.s3.getObjectAsBytes(b -> b.bucket("output-bucket")
                    .key(dev.hybrid.contract.S3Layout.outputKey(request.requestId(), "real_0.png"))).asUtf8String());

            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exited after SIGTERM");
            assertEquals(0, process.exitValue(), this::stderr);
            assertTrue(lines.isEmpty(), "nothing but the ready line on stdout: " + lines);
        }
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolve("stderr.txt"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
