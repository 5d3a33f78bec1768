package dev.hybrid.cli.commands;

import dev.hybrid.cli.targets.TargetSpec;
import java.net.URI;
import picocli.CommandLine.Option;

/** Which clouds a command works on. */
public final class TargetOptions {
    @Option(names = "--os-cloud", paramLabel = "NAME|local",
            description = "OpenStack cloud from clouds.yaml, or local (default: $OS_CLOUD).")
    String osCloud;

    @Option(names = "--aws", paramLabel = "PROFILE|local",
            description = "AWS profile, or local for the emulators (default: the AWS default credential chain).")
    String aws;

    @Option(names = "--local", description = "Shorthand for --os-cloud local --aws local.")
    boolean local;

    @Option(names = "--sqs-endpoint", paramLabel = "URL", description = "SQS endpoint (default: $AWS_ENDPOINT_URL_SQS, $AWS_ENDPOINT_URL).")
    URI sqsEndpoint;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3 endpoint (default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL).")
    URI s3Endpoint;

    @Option(names = "--web-image", paramLabel = "PATH|s3://…|https://…|glance:NAME",
            description = "The web tier's VMDK for Glance (default: openstack.web_image of hybrid.yaml, else glance:hybrid-web).")
    String webImage;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Stack settings (default: ./hybrid.yaml when it exists).")
    java.nio.file.Path config;

    @Option(names = "--ssh-public-key", paramLabel = "FILE",
            description = "Public key for the web server (default: a key pair generated under .hybrid/).")
    java.nio.file.Path sshPublicKey;

    /** The options as the targets take them; {@code --local} is both sides local. */
    TargetSpec spec() {
        return new TargetSpec(local ? TargetSpec.LOCAL : osCloud, local ? TargetSpec.LOCAL : aws, sqsEndpoint, s3Endpoint, webImage, config,
                sshPublicKey);
    }
}
