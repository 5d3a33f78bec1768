package dev.hybrid.cli.targets;

import java.net.URI;
import java.nio.file.Path;

/**
 * Which clouds a command works on, as given on the command line.
 *
 * @param osCloud      clouds.yaml cloud, {@code local}, or null for {@code $OS_CLOUD} and then hybrid.yaml
 * @param aws          AWS profile, {@code local} for the emulators, or null for the default credential chain
 * @param sqsEndpoint  null for {@code $AWS_ENDPOINT_URL_SQS}, {@code $AWS_ENDPOINT_URL}
 * @param s3Endpoint   null for {@code $AWS_ENDPOINT_URL_S3}, {@code $AWS_ENDPOINT_URL}
 * @param webImage     overrides openstack.web_image of hybrid.yaml; null to keep it
 * @param config       hybrid.yaml to read; null for ./hybrid.yaml when it exists
 * @param sshPublicKey the web server's public key; null for a key pair generated under .hybrid/
 */
public record TargetSpec(String osCloud, String aws, URI sqsEndpoint, URI s3Endpoint, String webImage, Path config, Path sshPublicKey) {
    public static final String LOCAL = "local";

    /** Both sides on this machine, as {@code --local} says. */
    public static TargetSpec local() {
        return new TargetSpec(LOCAL, LOCAL, null, null, null, null, null);
    }

    public TargetSpec withOsCloud(String cloud) {
        return new TargetSpec(cloud, aws, sqsEndpoint, s3Endpoint, webImage, config, sshPublicKey);
    }

    public TargetSpec withEndpoints(URI sqs, URI s3) {
        return new TargetSpec(osCloud, aws, sqs, s3, webImage, config, sshPublicKey);
    }
}
