package dev.hybrid.cli.engine;

/**
 * Where one resource of class {@code R} sits in a graph: its key, typed by its class, so that
 * {@code SqsQueue.at("request").get(SqsQueue.URL)} compiles and {@code SqsQueue.at("request").get(S3Bucket.NAME)} does not.
 */
public record Address<R extends Resource>(String key) {
    public static <R extends Resource> Address<R> of(Class<R> kind, String key) {
        return new Address<>(key);
    }

    /** A reference to one of its outputs. */
    public <T> Ref<T> get(OutputKey<R, T> output) {
        return new Ref<>(key, output);
    }
}
