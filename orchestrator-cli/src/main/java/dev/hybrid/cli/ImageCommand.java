package dev.hybrid.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.aws.AppImage;
import dev.hybrid.cli.aws.AppSecurityGroup;
import dev.hybrid.cli.aws.AppTierRole;
import dev.hybrid.cli.aws.AwsStack;
import dev.hybrid.cli.aws.S3Bucket;
import dev.hybrid.cli.aws.WebImageExport;
import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackState;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.local.LocalLayout;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "image", mixinStandardHelpOptions = true, description = "Builds the tiers' VM images on AWS.",
        subcommands = ImageCommand.Build.class)
final class ImageCommand implements Runnable {
    @ParentCommand
    HybridMain main;

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
            HybridMain main = image.main;
            if (!Tiers.ALL.contains(tier)) {
                throw new ConfigurationException("no tier " + tier + ": choose app-tier or web-tier");
            }
            if (tier.equals("web-tier") && LocalMode.wanted(targets)) {
                return buildWebTierHere(main);
            }
            if (LocalMode.wanted(targets) || "local".equals(targets.aws())) {
                throw new ConfigurationException("image build bakes on EC2: name a real AWS target with --aws PROFILE "
                        + "(local mode runs the jars as they are)");
            }
            ProgressListener progress = main.json() ? ProgressListener.NONE : new ProgressPrinter(main.out(), main.verbose());
            ProgressBars bars = TerminalProgressBars.forCommand(main);
            try (StackSession session = StackSession.open(main, targets, progress, new StackSession.Options(bars, false, false))) {
                if (session.target.local()) {
                    throw new ConfigurationException("image build bakes on EC2: name a real AWS target with --aws PROFILE");
                }
                String deployment = session.existingDeployment().orElseGet(DeploymentIds::newId);
                Set<String> needs = tier.equals("app-tier") ? Set.of(AppImage.KEY)
                        : Set.of(S3Bucket.keyFor(AwsStack.ARTIFACTS), AppTierRole.KEY, AppSecurityGroup.KEY);
                if (tier.equals("app-tier") && !session.graph.get(AppImage.KEY).wanted(session.context(deployment))) {
                    throw new ConfigurationException("nothing to bake for the app tier: HYBRID_APP_AMI names the workers' image, "
                            + "or there is no app-tier jar (build it with 'mvn -B package -DskipTests')");
                }
                Graph part = session.graph.closureOf(needs);
                Map<String, Map<String, String>> outputs = new HashMap<>(session.cache.read().filter(s -> deployment.equals(s.deploymentId()))
                        .map(StackState::outputs).orElse(Map.of()));
                session.cache.write(session.stack, deployment, outputs);
                if (!main.json()) {
                    main.out().printf("image build %s for %s (deployment %s) on %s%n", tier, session.stack, deployment, session.describeTargets());
                    main.out().flush();
                }
                WalkReport report = session.walker.up(part, session.context(deployment));
                outputs.putAll(report.outputs());
                session.cache.write(session.stack, deployment, outputs);
                if (!report.succeeded()) {
                    if (main.json()) {
                        JsonReports.print(main.out(), JsonReports.of("image build", report, session, ExitCodes.FAILED));
                    } else {
                        TextReports.summary(main.out(), "image build", report);
                        main.out().flush();
                    }
                    return ExitCodes.FAILED;
                }
                ObjectNode document = JsonReports.of("image build", report, session, ExitCodes.OK).put("tier", tier);
                if (tier.equals("app-tier")) {
                    Map<String, String> baked = report.outputs().get(AppImage.KEY);
                    document.put("imageId", baked.get(AppImage.OUTPUT_IMAGE_ID)).put("imageName", baked.get(AppImage.OUTPUT_IMAGE_NAME));
                    if (!main.json()) {
                        main.out().printf("app-tier image: %s (%s)%n", baked.get(AppImage.OUTPUT_IMAGE_ID), baked.get(AppImage.OUTPUT_IMAGE_NAME));
                    }
                } else {
                    WebImageExport.Result vmdk = WebImageExport.standard(session.aws, bars).build(session.context(deployment),
                            LocalLayout.of(session.stack, main.env()).webJar(),
                            new WebImageExport.Builder(report.outputs().get(S3Bucket.keyFor(AwsStack.ARTIFACTS)).get(S3Bucket.OUTPUT_NAME),
                                    report.outputs().get(AppTierRole.KEY).get(AppTierRole.OUTPUT_PROFILE_ARN),
                                    report.outputs().get(AppSecurityGroup.KEY).get(AppSecurityGroup.OUTPUT_GROUP_ID),
                                    session.config.aws().instanceType()));
                    document.put("vmdk", vmdk.uri()).put("reused", vmdk.reused());
                    if (!main.json()) {
                        main.out().printf("web-tier VMDK: %s%s%nuse it with: openstack.web_image: %s (hybrid.yaml) or --web-image %s%n", vmdk.uri(),
                                vmdk.reused() ? " (exported before from the same inputs)" : "", vmdk.uri(), vmdk.uri());
                    }
                }
                if (main.json()) {
                    JsonReports.print(main.out(), document);
                }
                main.out().flush();
                return ExitCodes.OK;
            }
        }

        private int buildWebTierHere(HybridMain main) {
            java.nio.file.Path jar = LocalLayout.of(main.stack(), main.env()).webJar();
            LocalWebImageBuild.Result built = LocalWebImageBuild.run(LocalWebImageBuild.scriptBeside(jar), jar,
                    TerminalProgressBars.forCommand(main), line -> {
                        if (main.verbose()) {
                            System.err.println(line);
                        }
                    });
            if (main.json()) {
                JsonReports.print(main.out(), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                        .put("command", "image build").put("ok", true).put("exitCode", ExitCodes.OK).put("tier", tier)
                        .put("vmdk", built.vmdk().toString()).put("reused", built.reused()));
            } else {
                main.out().printf("web-tier VMDK: %s%s%nuse it with: --web-image %s (or openstack.web_image in hybrid.yaml)%n",
                        built.vmdk(), built.reused() ? " (built before from the same inputs)" : "", built.vmdk());
            }
            main.out().flush();
            return ExitCodes.OK;
        }
    }
}
