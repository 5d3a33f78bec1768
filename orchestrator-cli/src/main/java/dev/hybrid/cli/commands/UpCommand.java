package dev.hybrid.cli.commands;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.targets.Target;
import dev.hybrid.cli.targets.Targets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Creates what is missing and repairs what drifted; on an unchanged stack it changes nothing.")
public final class UpCommand implements Callable<Integer> {
    @ParentCommand
    ConsoleSource main;

    @Mixin
    TargetOptions targets;

    @Mixin
    LocalOptions local;

    @Option(names = "--no-wait-healthy", description = "Do not wait for the web server's /healthz after it is up.")
    boolean noWaitHealthy;

    @Option(names = "--health-timeout", defaultValue = "300", paramLabel = "SECONDS",
            description = "How long to wait for the web server's /healthz (default: ${DEFAULT-VALUE}).")
    int healthTimeoutSeconds;

    @Option(names = "--no-canary", description = "Do not classify a generated image through the web tier once it is healthy.")
    boolean noCanary;

    @Option(names = "--canary-timeout", defaultValue = "300", paramLabel = "SECONDS",
            description = "How long the canary image may take, a first worker's start included (default: ${DEFAULT-VALUE}).")
    int canaryTimeoutSeconds;

    @Option(names = "--rotate-keys", description = "On AWS: replace the web tier's access key with a new one and delete the old one.")
    boolean rotateKeys;

    @Override
    public Integer call() throws InterruptedException {
        Console console = main.console();
        if (canaryTimeoutSeconds < 1 || healthTimeoutSeconds < 1) {
            throw new ConfigurationException("--health-timeout and --canary-timeout are seconds, at least 1, not "
                    + Math.min(canaryTimeoutSeconds, healthTimeoutSeconds));
        }
        return Targets.choose(console, targets.spec())
                .up(new Target.Up(local.settings(), !noWaitHealthy, Duration.ofSeconds(healthTimeoutSeconds), rotateKeys,
                        !noCanary, Duration.ofSeconds(canaryTimeoutSeconds)));
    }
}
