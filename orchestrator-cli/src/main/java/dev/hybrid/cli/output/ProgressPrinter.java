package dev.hybrid.cli.output;

import dev.hybrid.cli.engine.ProgressEvent;
import dev.hybrid.cli.engine.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/** One line per finished resource, as it finishes; the start lines only when verbose. */
public final class ProgressPrinter implements ProgressListener {
    private final PrintWriter out;
    private final boolean showStarts;

    public ProgressPrinter(PrintWriter out, boolean showStarts) {
        this.out = out;
        this.showStarts = showStarts;
    }

    @Override
    public synchronized void onEvent(ProgressEvent event) {
        if (event.phase() == ProgressEvent.Phase.STARTED && !showStarts) {
            return;
        }
        String mark = switch (event.phase()) {
            case STARTED -> "..";
            case DONE -> "ok";
            case FAILED -> "!!";
            case SKIPPED -> "--";
        };
        out.printf(Locale.ROOT, "  %s %-14s %-10s %6.2f s  %s%n", mark, event.key(), event.kind(),
                event.elapsed().toMillis() / 1000.0, event.phase() == ProgressEvent.Phase.STARTED ? "started" : event.detail());
        out.flush();
    }
}
