package dev.hybrid.cli.targets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.contract.EnvNames;
import dev.hybrid.cli.aws.AppImage;
import dev.hybrid.cli.aws.AppSecurityGroup;
import dev.hybrid.cli.aws.AppTierRole;
import dev.hybrid.cli.aws.AwsStack;
import dev.hybrid.cli.aws.S3Bucket;
import dev.hybrid.cli.aws.WebImageExport;
import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackState;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.local.LocalLayout;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.cli.output.ProgressPrinter;
import dev.hybrid.cli.output.TerminalProgressBars;
import dev.hybrid.cli.output.TextReports;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code hybrid image build TIER}: the part of the stack's graph that a tier's image needs, walked up on AWS, then the
 * image baked (the app tier's AMI) or exported (the web tier's VMDK for Glance).
 */
public final class ImageBuild {
    /** Why a target without a real AWS side cannot bake. */
    static final String NEEDS_EC2 = "image build bakes on EC2: name a real AWS target with --aws PROFILE (local mode runs the jars as they are)";

    private final Console console;
    private final CloudTarget cloud;

    ImageBuild(Console console, CloudTarget cloud) {
        this.console = console;
        this.cloud = cloud;
    }

    int run(TargetSpec spec, String tier) {
        if (TargetSpec.LOCAL.equals(spec.aws())) {
            throw new ConfigurationException(NEEDS_EC2);
        }
        ProgressListener progress = console.json() ? ProgressListener.NONE : new ProgressPrinter(console.out(), console.verbose());
        ProgressBars bars = TerminalProgressBars.forConsole(console);
        try (StackSession session = cloud.open(progress, new StackSession.Options(bars, false, false))) {
            if (session.target.local()) {
                throw new ConfigurationException("image build bakes on EC2: name a real AWS target with --aws PROFILE");
            }
            String deployment = session.existingDeployment().orElseGet(DeploymentIds::newId);
            Set<String> needs = tier.equals("app-tier") ? Set.of(AppImage.KEY)
                    : Set.of(S3Bucket.keyFor(AwsStack.ARTIFACTS), AppTierRole.KEY, AppSecurityGroup.KEY);
            if (tier.equals("app-tier") && !session.graph.get(AppImage.KEY).wanted(session.context(deployment))) {
                throw new ConfigurationException("nothing to bake for the app tier: " + EnvNames.APP_AMI + " names the workers' image, "
                        + "or there is no app-tier jar (build it with 'mvn -B package -DskipTests')");
            }
            Graph part = session.graph.closureOf(needs);
            Map<String, Map<String, String>> outputs = new HashMap<>(session.cache.read().filter(s -> deployment.equals(s.deploymentId()))
                    .map(StackState::outputs).orElse(Map.of()));
            session.cache.write(session.stack, deployment, outputs);
            if (!console.json()) {
                console.out().printf("image build %s for %s (deployment %s) on %s%n", tier, session.stack, deployment, session.describeTargets());
                console.out().flush();
            }
            WalkReport report = session.walker.up(part, session.context(deployment));
            outputs.putAll(report.outputs());
            session.cache.write(session.stack, deployment, outputs);
            if (!report.succeeded()) {
                if (console.json()) {
                    JsonReports.print(console.out(), session.report("image build", report, ExitCodes.FAILED));
                } else {
                    TextReports.summary(console.out(), "image build", report);
                    console.out().flush();
                }
                return ExitCodes.FAILED;
            }
            ObjectNode document = session.report("image build", report, ExitCodes.OK).put("tier", tier);
            if (tier.equals("app-tier")) {
                Map<String, String> baked = report.outputs().get(AppImage.KEY);
                document.put("imageId", baked.get(AppImage.IMAGE_ID.name())).put("imageName", baked.get(AppImage.IMAGE_NAME.name()));
                if (!console.json()) {
                    console.out().printf("app-tier image: %s (%s)%n", baked.get(AppImage.IMAGE_ID.name()), baked.get(AppImage.IMAGE_NAME.name()));
                }
            } else {
                WebImageExport.Result vmdk = WebImageExport.standard(session.aws, bars).build(session.context(deployment),
                        LocalLayout.of(session.stack, console.env()).webJar(),
                        new WebImageExport.Builder(S3Bucket.at(AwsStack.ARTIFACTS).get(S3Bucket.NAME).in(report.outputs()).orElseThrow(),
                                AppTierRole.ADDRESS.get(AppTierRole.PROFILE_ARN).in(report.outputs()).orElseThrow(),
                                AppSecurityGroup.ADDRESS.get(AppSecurityGroup.GROUP_ID).in(report.outputs()).orElseThrow(),
                                session.config.aws().instanceType()));
                document.put("vmdk", vmdk.uri()).put("reused", vmdk.reused());
                if (!console.json()) {
                    console.out().printf("web-tier VMDK: %s%s%nuse it with: openstack.web_image: %s (hybrid.yaml) or --web-image %s%n", vmdk.uri(),
                            vmdk.reused() ? " (exported before from the same inputs)" : "", vmdk.uri(), vmdk.uri());
                }
            }
            if (console.json()) {
                JsonReports.print(console.out(), document);
            }
            console.out().flush();
            return ExitCodes.OK;
        }
    }
}
