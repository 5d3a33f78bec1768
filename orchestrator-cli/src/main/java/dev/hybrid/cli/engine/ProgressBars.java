package dev.hybrid.cli.engine;

/** Where a resource reports a long wait or transfer; a terminal shows a bar, a pipe or {@code -o json} nothing. */
@FunctionalInterface
public interface ProgressBars {
    ProgressBars NONE = (task, total, unit) -> new Bar() {
        @Override
        public void stepTo(long done) {
        }

        @Override
        public void close() {
        }
    };

    /** @param total the amount at the end, or -1 when it is unknown */
    Bar start(String task, long total, String unit);

    interface Bar extends AutoCloseable {
        void stepTo(long done);

        /** Shown beside the bar, e.g. a status. */
        default void note(String text) {
        }

        @Override
        void close();
    }
}
