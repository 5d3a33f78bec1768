package dev.hybrid.cli.commands;

import dev.hybrid.cli.config.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The images named on the command line: files as given, directories by their image files, sorted. */
public final class ImageFiles {
    private ImageFiles() {
    }

    static List<Path> expand(List<Path> arguments) {
        if (arguments == null || arguments.isEmpty()) {
            throw new ConfigurationException("name at least one image file or directory of images");
        }
        List<Path> images = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isDirectory(argument)) {
                try (Stream<Path> entries = Files.list(argument)) {
                    entries.filter(Files::isRegularFile).filter(ImageFiles::looksLikeImage).sorted().forEach(images::add);
                } catch (IOException e) {
                    throw new ConfigurationException("cannot list " + argument + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(argument)) {
                images.add(argument);
            } else {
                throw new ConfigurationException("no such file or directory: " + argument);
            }
        }
        if (images.isEmpty()) {
            throw new ConfigurationException("no images (.jpg, .jpeg, .png) in " + arguments);
        }
        return images;
    }

    private static boolean looksLikeImage(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }
}
