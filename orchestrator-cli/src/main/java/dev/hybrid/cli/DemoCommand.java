package dev.hybrid.cli;

import dev.hybrid.cli.local.LocalRecord;
import dev.hybrid.cli.local.LocalStack;
import dev.hybrid.cli.samples.SampleImages;
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
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    HybridMain main;

    @Mixin
    LocalOptions local;

    @Option(names = "--samples", defaultValue = "10", paramLabel = "N", description = "How many sample images (default: ${DEFAULT-VALUE}).")
    int samples;

    @Override
    public Integer call() throws InterruptedException {
        if (samples < 1 || samples > 1000) {
            throw new ConfigurationException("--samples must be between 1 and 1000, not " + samples);
        }
        TargetOptions targets = new TargetOptions();
        targets.local = true;
        local.detach = true;
        UpCommand up = new UpCommand();
        up.main = main;
        int code = new LocalMode(main, targets).up(local, up::walk);
        if (code != ExitCodes.OK) {
            return code;
        }
        LocalRecord record = new LocalStack(main.stack(), main.env()).running()
                .orElseThrow(() -> new IllegalStateException("the local stack stopped right after it started"));
        Path directory = new LocalStack(main.stack(), main.env()).layout().stackDir().resolve("samples");
        List<Path> images = SampleImages.writeCourseSet(directory, samples);
        main.out().printf("%nclassifying %d generated sample images from %s%n", images.size(), directory);
        main.out().flush();
        WebTierClient client = new WebTierClient(URI.create(record.url()), Duration.ofSeconds(300));
        List<WebTierClient.Classification> results = BoundedUploads.run(client, images, images.size(), result -> { });
        long failed = 0;
        for (WebTierClient.Classification result : results) {
            main.out().printf("  %-14s %s%n", result.name(), result.ok() ? result.label() : "FAILED: " + result.error());
            failed += result.ok() ? 0 : 1;
        }
        main.out().printf("%n%s%n", new LocalMode(main, targets).modelNotice(record));
        main.out().printf("%nthe web tier keeps running at %s%n  upload: curl -F myfile=@IMAGE %s/   stop: ./hybrid teardown --local%n",
                record.url(), record.url());
        main.out().flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
}
