package dev.hybrid.cli.openstack;

import dev.hybrid.cli.config.StackConfig;
import dev.hybrid.cli.config.WebImageSource;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/** The OpenStack side of a deployment: the web image, its key pair and security group, the server and its floating IP. */
public final class OpenStackStack {
    private OpenStackStack() {
    }

    /**
     * What the server's user-data needs from the AWS side besides the walk's outputs.
     *
     * @param sqsEndpoint null on real AWS
     * @param credentials read only when the server is created
     * @param accessKeyId the id of the key in those credentials, as the walk's outputs know it: a new one replaces the server
     * @param credentialResources the AWS resources that make those credentials, which the server waits for
     */
    public record AwsSide(String region, URI sqsEndpoint, URI s3Endpoint, Supplier<WebUserData.Credentials> credentials,
                          Function<StackContext, String> accessKeyId, Supplier<S3Client> s3, Set<String> credentialResources) {
    }

    /** @param sshKeyDirectory where a generated private key is kept, 0600 */
    public record Options(StackConfig.OpenStack config, String sshCidr, Path publicKey, Path sshKeyDirectory, Duration serverTimeout) {
    }

    public static List<Resource> resources(OpenStackApi api, Options options, AwsSide aws, ProgressBars bars) {
        StackConfig.OpenStack config = options.config();
        List<Resource> resources = new ArrayList<>();
        WebServer.ImageRef image;
        if (config.webImage() instanceof WebImageSource.GlanceImage glance) {
            resources.add(new WebImage(api, null, bars));
            image = new WebServer.ImageRef.Named(glance.name());
        } else {
            resources.add(new WebImage(api, ImageSource.of(config.webImage(), aws.s3(), HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build()), bars));
            image = new WebServer.ImageRef.Uploaded();
        }
        resources.add(new Keypair(api, () -> options.publicKey() != null ? SshKeys.readPublicKey(options.publicKey())
                : SshKeys.publicKeyFor(options.sshKeyDirectory().resolve("id_rsa"), "hybrid@" + api.cloudName())));
        resources.add(new SecurityGroup(api, config.webPort(), options.sshCidr()));
        resources.add(new WebServer(api, new WebServer.Spec(config.flavor(), config.network(), image,
                context -> WebUserData.render(settings(context, config.webPort(), aws), aws.credentials().get()),
                context -> WebUserData.fingerprint(settings(context, config.webPort(), aws), aws.accessKeyId().apply(context)),
                options.serverTimeout(), aws.credentialResources()), bars));
        resources.add(new FloatingIp(api, config.externalNetwork(), Duration.ofSeconds(120), bars));
        return resources;
    }

    private static WebUserData.Settings settings(StackContext context, int webPort, AwsSide aws) {
        return new WebUserData.Settings(
                context.output("sqs:request", "url").orElseThrow(), context.output("sqs:response", "url").orElseThrow(),
                context.output("s3:input", "name").orElseThrow(), context.output("s3:output", "name").orElseThrow(),
                aws.region(), webPort, aws.sqsEndpoint(), aws.s3Endpoint(), context.stack(),
                context.output("ec2:app-template", "launchTemplateId").orElse(""));
    }
}
