package dev.hybrid.cli.engine;

import java.util.Objects;
import java.util.function.Function;

/**
 * One output that resources of class {@code R} publish, of type {@code T}, e.g. a queue's URL. The class parameter is
 * only for the compiler: an {@link Address} of a queue makes {@link Ref}s to a queue's outputs and to no other.
 * Outputs travel as text under {@link #name()}, which is what the state cache and {@code -o json} show.
 */
public final class OutputKey<R extends Resource, T> {
    private final String name;
    private final Function<String, T> parse;
    private final Function<T, String> format;

    private OutputKey(String name, Function<String, T> parse, Function<T, String> format) {
        this.name = Objects.requireNonNull(name);
        this.parse = parse;
        this.format = format;
    }

    /** An output that is text as it is. */
    public static <R extends Resource> OutputKey<R, String> text(Class<R> owner, String name) {
        return new OutputKey<>(name, Function.identity(), Function.identity());
    }

    /** The name it is recorded under. */
    public String name() {
        return name;
    }

    T parse(String text) {
        return parse.apply(text);
    }

    String format(T value) {
        return format.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
