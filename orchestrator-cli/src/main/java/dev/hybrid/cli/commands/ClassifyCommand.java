package dev.hybrid.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.output.BenchFigures;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.cli.output.TerminalProgressBars;
import dev.hybrid.cli.service.BoundedUploads;
import dev.hybrid.cli.service.WebTierClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Uploads images to the web tier and prints each one's label; exit code 3 if any failed.")
public final class ClassifyCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleSource main;

    @Mixin
    WebTierOptions web;

    @Parameters(paramLabel = "IMAGE|DIR", description = "Image files, or directories of .jpg/.jpeg/.png files.")
    List<Path> images;

    @Override
    public Integer call() {
        Console console = main.console();
        List<Path> files = ImageFiles.expand(images);
        WebTierClient client = new WebTierClient(web.url(console), web.timeout());
        PrintWriter out = console.out();
        AtomicLong done = new AtomicLong();
        long started = System.nanoTime();
        List<WebTierClient.Classification> results;
        try (ProgressBars.Bar bar = TerminalProgressBars.forConsole(console).start("classify", files.size(), "")) {
            results = BoundedUploads.run(client, files, web.concurrency(), result -> {
                bar.stepTo(done.incrementAndGet());
                if (!console.json()) {
                    synchronized (out) {
                        out.printf(Locale.ROOT, "%s\t%s\t%.2f s%n", result.name(), result.ok() ? result.label() : "FAILED: " + result.error(),
                                result.millis() / 1000.0);
                        out.flush();
                    }
                }
            });
        }
        BenchFigures figures = BenchFigures.of(results.size(), WebTierClient.Classification.answeredMillis(results),
                Math.max(1, (System.nanoTime() - started) / 1_000_000));
        long failed = figures.failed();
        int code = failed == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        if (console.json()) {
            ObjectNode document = JsonReports.object();
            document.put("command", "classify").put("ok", code == ExitCodes.OK).put("exitCode", code)
                    .put("images", results.size());
            figures.into(document);
            ArrayNode list = document.putArray("results");
            for (WebTierClient.Classification result : results) {
                ObjectNode node = list.addObject().put("name", result.name()).put("label", result.label())
                        .put("status", result.status()).put("millis", result.millis());
                if (!result.ok()) {
                    node.put("error", result.error());
                }
            }
            JsonReports.print(out, document);
        } else {
            out.printf("%d images:%n", results.size());
            figures.print(out);
            out.flush();
            if (failed > 0) {
                console.err().printf("hybrid: %d of %d images failed%n", failed, results.size());
            }
        }
        return code;
    }
}
