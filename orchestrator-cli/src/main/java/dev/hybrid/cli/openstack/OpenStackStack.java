package dev.hybrid.cli.openstack;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.config.StackConfig;
import dev.hybrid.cli.config.WebImageSource;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Ref;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Waiter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/** The OpenStack side of a deployment: the web image, its key pair and security group, the server and its floating IP. */
public final class OpenStackStack {
    /** Neutron binds an address to a port, and Nova shows it, within seconds. */
    static final Duration FLOATING_IP_TIMEOUT = Duration.ofSeconds(120);

    private OpenStackStack() {
    }

    /**
     * What the server's user-data needs from the AWS side.
     *
     * @param sqsEndpoint null on real AWS
     * @param credentials read only when the server is created
     * @param accessKeyId the id of the key in those credentials, as the walk's outputs know it (empty while unknown): a new
     *                    one replaces the server
     * @param credentialResources the AWS resources that make those credentials, which the server waits for
     * @param outputs     the AWS outputs the web tier's settings carry
     */
    public record AwsSide(String region, URI sqsEndpoint, URI s3Endpoint, Supplier<WebUserData.Credentials> credentials,
                          Function<StackContext, Optional<String>> accessKeyId, Supplier<S3Client> s3, Set<String> credentialResources,
                          AwsOutputs outputs) {
    }

    /**
     * References to the AWS resources' outputs that the web tier reads, made by the AWS side's classes, so that this
     * package needs none of them.
     *
     * @param launchTemplateId null when the stack has no launch template
     */
    public record AwsOutputs(Ref<String> requestQueueUrl, Ref<String> responseQueueUrl, Ref<String> inputBucket,
                             Ref<String> outputBucket, Ref<String> launchTemplateId) {
        Set<Ref<?>> all() {
            Set<Ref<?>> refs = new LinkedHashSet<>(List.of(requestQueueUrl, responseQueueUrl, inputBucket, outputBucket));
            if (launchTemplateId != null) {
                refs.add(launchTemplateId);
            }
            return refs;
        }
    }

    /** @param sshKeyDirectory where a generated private key is kept, 0600 */
    public record Options(StackConfig.OpenStack config, String sshCidr, Path publicKey, Path sshKeyDirectory, Duration serverTimeout) {
    }

    /**
     * Before up makes anything: the networks hybrid.yaml names exist, the external one among the external networks.
     * A wrong name is one line that lists the names there are, before an image is uploaded or a server boots.
     */
    public static void checkNetworks(OpenStackApi api, StackConfig.OpenStack config) {
        try {
            Networks.idByName(api, config.network(), false);
            Networks.idByName(api, config.externalNetwork(), true);
        } catch (OpenStackException e) {
            if (e.status() == 404 || e.status() == 409) {
                throw new ConfigurationException(e.getMessage());
            }
            throw e;
        }
    }

    public static List<Resource> resources(OpenStackApi api, Options options, AwsSide aws, ProgressBars bars) {
        StackConfig.OpenStack config = options.config();
        List<Resource> resources = new ArrayList<>();
        Waiter waiter = Waiter.system(bars);
        NovaServer.ImageRef image;
        if (config.webImage() instanceof WebImageSource.GlanceImage glance) {
            resources.add(new WebImage(api, null, bars));
            image = new NovaServer.ImageRef.Named(glance.name());
        } else {
            resources.add(new WebImage(api, ImageSource.of(config.webImage(), aws.s3(), HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build()), bars));
            image = new NovaServer.ImageRef.Uploaded();
        }
        resources.add(new Keypair(api, () -> options.publicKey() != null ? SshKeys.readPublicKey(options.publicKey())
                : SshKeys.publicKeyFor(options.sshKeyDirectory().resolve("id_rsa"), "hybrid@" + api.cloudName())));
        resources.add(new SecurityGroup(api, config.webPort(), options.sshCidr()));
        resources.add(new NovaServer(api, new NovaServer.Spec(config.flavor(), config.network(), image,
                context -> WebUserData.render(settings(context, config.webPort(), aws), aws.credentials().get()),
                context -> aws.accessKeyId().apply(context).map(id -> WebUserData.fingerprint(settings(context, config.webPort(), aws), id)),
                options.serverTimeout(), aws.credentialResources(), aws.outputs().all()), waiter));
        resources.add(new FloatingIp(api, config.externalNetwork(), FLOATING_IP_TIMEOUT, waiter));
        return resources;
    }

    private static WebUserData.Settings settings(StackContext context, int webPort, AwsSide aws) {
        AwsOutputs outputs = aws.outputs();
        return new WebUserData.Settings(
                context.require(outputs.requestQueueUrl()), context.require(outputs.responseQueueUrl()),
                context.require(outputs.inputBucket()), context.require(outputs.outputBucket()),
                aws.region(), webPort, aws.sqsEndpoint(), aws.s3Endpoint(), context.stack(),
                outputs.launchTemplateId() == null ? "" : context.require(outputs.launchTemplateId()));
    }
}
