package dev.hybrid.cli.samples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Images the project draws itself (no third-party photos): deterministic per seed, each one
 * different, in the course's shape (64×64 JPEG, named {@code test_N.JPEG}) or any other size.
 */
public final class SampleImages {
    private SampleImages() {}

    public static byte[] draw(long seed, int width, int height, String format) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, color(random), width, height, color(random)));
        g.fillRect(0, 0, width, height);
        g.setStroke(new BasicStroke(Math.max(1, width / 32f)));
        for (int shape = 0; shape < 10; shape++) {
            g.setColor(color(random));
            int w = 1 + random.nextInt(Math.max(1, width / 2));
            int h = 1 + random.nextInt(Math.max(1, height / 2));
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            switch (random.nextInt(3)) {
                case 0 -> g.fillOval(x, y, w, h);
                case 1 -> g.fillRect(x, y, w, h);
                default -> g.drawLine(x, y, random.nextInt(width), random.nextInt(height));
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no image writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code count} course-shaped images into a directory; returns their paths. */
    public static List<Path> writeCourseSet(Path directory, int count) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (int i = 0; i < count; i++) {
                Path file = directory.resolve("test_" + i + ".JPEG");
                Files.write(file, draw(i, 64, 64, "jpg"));
                files.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sample images to " + directory + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static Color color(Random random) {
        return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }
}
