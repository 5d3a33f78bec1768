package dev.hybrid.web.scaling;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one stdout line a worker prints once its model is loaded and it is polling. */
public record ReadyLine(String workerId, String modelId, boolean untrained) {
    private static final Pattern FORMAT =
            Pattern.compile("hybrid-worker ready worker=(\\S+) model=(\\S+) untrained=(true|false)");

    public static Optional<ReadyLine> parse(String line) {
        Matcher matcher = FORMAT.matcher(line.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ReadyLine(matcher.group(1), matcher.group(2), Boolean.parseBoolean(matcher.group(3))));
    }

    public String format() {
        return "hybrid-worker ready worker=" + workerId + " model=" + modelId + " untrained=" + untrained;
    }
}
