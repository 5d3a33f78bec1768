package dev.hybrid.worker.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Class names by index: the built-in simple ImageNet list, or a file (JSON array or one per line). */
final class Labels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Labels() {}

    static List<String> imagenetSimple() {
        try (InputStream in = Labels.class.getResourceAsStream("/labels/imagenet-simple-labels.json")) {
            if (in == null) {
                throw new IllegalStateException("the built-in labels are missing from the jar");
            }
            return List.copyOf(JSON.readValue(in, new TypeReference<List<String>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.startsWith("[")) {
                return List.copyOf(JSON.readValue(text, new TypeReference<List<String>>() { }));
            }
            return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the labels file " + file + ": " + e.getMessage(), e);
        }
    }
}
