package dev.hybrid.cli.commands;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.samples.SampleImages;
import dev.hybrid.cli.service.BoundedUploads;
import dev.hybrid.cli.service.WebTierClient;
import dev.hybrid.cli.targets.LocalTarget;
import dev.hybrid.cli.targets.Target;
import dev.hybrid.cli.targets.Targets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Brings the whole service up on this machine (as 'up --local -d'), classifies generated sample images,",
                "prints their labels, and leaves the web tier running. 'hybrid teardown --local' stops it."})
public final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleSource main;

    @Mixin
    LocalOptions local;

    @Option(names = "--samples", defaultValue = "10", paramLabel = "N", description = "How many sample images (default: ${DEFAULT-VALUE}).")
    int samples;

    private static final Duration DEMO_WAIT = Duration.ofSeconds(300);

    @Override
    public Integer call() throws InterruptedException {
        if (samples < 1 || samples > 1000) {
            throw new ConfigurationException("--samples must be between 1 and 1000, not " + samples);
        }
        Console console = main.console();
        LocalTarget target = Targets.local(console);
        // As every up: the wait for /healthz, then the canary (which starts the first worker for the samples).
        int code = target.up(new Target.Up(local.settings().withDetach(true), true, DEMO_WAIT, false, true, DEMO_WAIT));
        if (code != ExitCodes.OK) {
            return code;
        }
        URI url = target.runningUrl().orElseThrow(() -> new IllegalStateException("the local stack stopped right after it started"));
        Path directory = target.stackDirectory().resolve("samples");
        List<Path> images = SampleImages.writeCourseSet(directory, samples);
        console.out().printf("%nclassifying %d generated sample images from %s%n", images.size(), directory);
        console.out().flush();
        WebTierClient client = new WebTierClient(url, Duration.ofSeconds(300));
        List<WebTierClient.Classification> results = BoundedUploads.run(client, images, images.size(), result -> { });
        long failed = 0;
        for (WebTierClient.Classification result : results) {
            console.out().printf("  %-14s %s%n", result.name(), result.ok() ? result.label() : "FAILED: " + result.error());
            failed += result.ok() ? 0 : 1;
        }
        console.out().printf("%n%s%n", target.modelNotice(url));
        console.out().printf("%nthe web tier keeps running at %s%n  upload: curl -F myfile=@IMAGE %s/   stop: ./hybrid teardown --local%n",
                url, url);
        console.out().flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
}
