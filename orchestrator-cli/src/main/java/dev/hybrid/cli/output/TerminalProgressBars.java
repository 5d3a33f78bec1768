package dev.hybrid.cli.output;

import dev.hybrid.cli.engine.ProgressBars;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Bars on stderr for uploads and long waits; only when a person watches a terminal, never with {@code -o json}. */
public final class TerminalProgressBars implements ProgressBars {
    private final PrintStream err;

    private TerminalProgressBars(PrintStream err) {
        this.err = err;
    }

    public static ProgressBars forConsole(Console console) {
        return console.json() || System.console() == null ? ProgressBars.NONE : new TerminalProgressBars(System.err);
    }

    @Override
    public Bar start(String task, long total, String unit) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(err)).setInitialMax(total)
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS).showSpeed();
        if ("MiB".equals(unit)) {
            builder.setUnit(" MiB", 1L << 20);
        }
        ProgressBar bar = builder.build();
        return new Bar() {
            @Override
            public void stepTo(long done) {
                bar.stepTo(done);
            }

            @Override
            public void note(String text) {
                bar.setExtraMessage(" " + text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
