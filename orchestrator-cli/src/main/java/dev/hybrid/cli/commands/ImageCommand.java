package dev.hybrid.cli.commands;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.targets.Targets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "image", mixinStandardHelpOptions = true, description = "Builds the tiers' VM images on AWS.",
        subcommands = ImageCommand.Build.class)
public final class ImageCommand implements Runnable {
    @ParentCommand
    ConsoleSource main;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of " + spec.subcommands().keySet());
    }

    /** Completion candidates for TIER. */
    static final class Tiers implements Iterable<String> {
        static final List<String> ALL = List.of("app-tier", "web-tier");

        @Override
        public Iterator<String> iterator() {
            return ALL.iterator();
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Bakes a tier's image on EC2 from the jar of this checkout, reusing one baked from the same inputs.",
                    "app-tier: the workers' AMI, as up bakes it. web-tier: a VMDK for Glance, exported to the stack's artifacts bucket;",
                    "set openstack.web_image to the s3:// address it prints.",
                    "web-tier --local: builds the VMDK on this machine instead (Debian 12, debootstrap, as root; no AWS).",
                    "Makes the stack's artifacts bucket, the app tier's role and its security group first: the builders use them."})
    static final class Build implements Callable<Integer> {
        @ParentCommand
        ImageCommand image;

        @Mixin
        TargetOptions targets;

        @Parameters(index = "0", paramLabel = "TIER", completionCandidates = Tiers.class, description = "app-tier or web-tier.")
        String tier;

        @Override
        public Integer call() {
            if (!Tiers.ALL.contains(tier)) {
                throw new ConfigurationException("no tier " + tier + ": choose app-tier or web-tier");
            }
            return Targets.choose(image.main.console(), targets.spec()).imageBuild(tier);
        }
    }
}
