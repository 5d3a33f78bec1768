package dev.hybrid.cli.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file of images/ packed into the orchestrator's jar, with {@code @NAME@} placeholders that the
 * orchestrator fills in. The recipe files stay the one source of what goes onto the VMs.
 */
public final class Recipe {
    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z][A-Z0-9_]*)@");

    private final String name;
    private final String text;

    private Recipe(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** The resource {@code name} beside {@code anchor}'s class file. */
    public static Recipe load(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the orchestrator's jar");
            }
            return new Recipe(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recipe as written, placeholders and all: what a content hash covers. */
    public String text() {
        return text;
    }

    /** The recipe with every placeholder replaced; one the values do not name is a bug in the orchestrator. */
    public String fill(Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException(name + " has a placeholder the orchestrator does not know: " + matcher.group());
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
