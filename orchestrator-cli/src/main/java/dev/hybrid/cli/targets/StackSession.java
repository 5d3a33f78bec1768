package dev.hybrid.cli.targets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.aws.AppImage;
import dev.hybrid.cli.aws.AppLaunchTemplate;
import dev.hybrid.cli.aws.AwsClients;
import dev.hybrid.cli.aws.AwsStack;
import dev.hybrid.cli.aws.AwsTarget;
import dev.hybrid.cli.aws.ComputeOptions;
import dev.hybrid.cli.aws.LaunchTemplateSpec;
import dev.hybrid.cli.aws.S3Bucket;
import dev.hybrid.cli.aws.SqsQueue;
import dev.hybrid.cli.aws.WebTierKeys;
import dev.hybrid.cli.aws.WebTierUser;
import dev.hybrid.cli.config.Blank;
import dev.hybrid.cli.config.CloudConfig;
import dev.hybrid.cli.config.CloudConfigLoader;
import dev.hybrid.cli.config.CloudsFileLocator;
import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.config.SshCidr;
import dev.hybrid.cli.config.StackConfig;
import dev.hybrid.cli.config.StackConfigFile;
import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.StateCache;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.engine.Walker;
import dev.hybrid.cli.local.LocalLayout;
import dev.hybrid.cli.openstack.FloatingIp;
import dev.hybrid.cli.openstack.NovaServer;
import dev.hybrid.cli.openstack.ServerConsole;
import dev.hybrid.cli.openstack.OpenStackApi;
import dev.hybrid.cli.openstack.OpenStackStack;
import dev.hybrid.cli.openstack.WebUserData;
import dev.hybrid.cli.openstack.auth.KeystoneSession;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.Errors;
import dev.hybrid.cli.output.JsonReports;
import dev.hybrid.contract.EnvNames;
import dev.hybrid.localaws.LocalAws;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everything a stack command needs: the clients, the graph, the state cache and a walker. */
public final class StackSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StackSession.class);
    private static final int PARALLELISM = 8;
    private static final Duration SERVER_TIMEOUT = Duration.ofMinutes(10);

    final String stack;
    final AwsTarget target;
    final AwsClients aws;
    final OpenStackApi openstack;
    final StackConfig config;
    final Graph graph;
    final StateCache cache;
    final Walker walker;
    /** A web-tier access key created by this up; in memory only. */
    final WebTierKeys webTierKeys;

    private StackSession(String stack, AwsTarget target, AwsClients aws, OpenStackApi openstack, StackConfig config, Graph graph,
                         StateCache cache, Walker walker, WebTierKeys webTierKeys) {
        this.webTierKeys = webTierKeys;
        this.config = config;
        this.stack = stack;
        this.target = target;
        this.aws = aws;
        this.openstack = openstack;
        this.graph = graph;
        this.cache = cache;
        this.walker = walker;
    }

    /** What a command asks of the session beyond the target. */
    /** @param keys where a web-tier key that the walk creates is handed to, in memory */
    record Options(ProgressBars bars, boolean rotateKeys, boolean keepImages, WebTierKeys keys) {
        static final Options NONE = new Options(ProgressBars.NONE, false, false);

        Options(ProgressBars bars, boolean rotateKeys, boolean keepImages) {
            this(bars, rotateKeys, keepImages, new WebTierKeys());
        }
    }

    /**
     * @param openStackCloud the clouds.yaml cloud of the OpenStack side, or null for none (AWS alone, or a web tier here)
     * @param stateDirectory where the stack's state cache lives
     */
    static StackSession open(Console console, TargetSpec spec, String openStackCloud, Path stateDirectory, ProgressListener listener,
                             Options options) {
        ProgressBars bars = options.bars();
        String stack = console.stack();
        AwsTarget target = AwsTarget.resolve(spec.aws(), spec.sqsEndpoint(), spec.s3Endpoint(), console.env());
        AwsClients aws = new AwsClients(target);
        StateCache cache = new StateCache(stateDirectory, stack);
        WebTierKeys keys = options.keys();
        StackConfig config = stackConfig(console.env(), spec);
        ComputeOptions compute = target.local() ? null
                : computeOptions(console.env(), config, LocalLayout.of(stack, console.env()).workerJar(), options, keys);
        List<Resource> resources = new ArrayList<>(AwsStack.resources(aws, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS, compute));
        OpenStackApi openstack = null;
        if (openStackCloud != null) {
            CloudConfig cloud = new CloudConfigLoader(console.env(), CloudsFileLocator.forThisMachine(console.env())).load(openStackCloud, null);
            openstack = new OpenStackApi(KeystoneSession.forCloud(cloud));
            String sshCidr = SshCidr.resolve(config.openstack().sshCidr(), URI.create(cloud.auth().authUrl()));
            OpenStackStack.Options openStackOptions = new OpenStackStack.Options(config.openstack(), sshCidr, spec.sshPublicKey(),
                    stateDirectory.resolve(stack + "-ssh"), SERVER_TIMEOUT);
            OpenStackStack.AwsSide awsSide = new OpenStackStack.AwsSide(target.region().id(),
                    target.local() ? target.sqsEndpoint() : null, target.local() ? target.s3Endpoint() : null,
                    () -> webTierCredentials(target, keys),
                    context -> target.local() ? Optional.of(LocalAws.ACCESS_KEY_ID) : context.get(WebTierUser.ADDRESS.get(WebTierUser.ACCESS_KEY_ID)),
                    aws::s3,
                    target.local() ? Set.of() : awsKeysTheServerNeeds(resources),
                    new OpenStackStack.AwsOutputs(SqsQueue.at("request").get(SqsQueue.URL), SqsQueue.at("response").get(SqsQueue.URL),
                            S3Bucket.at(AwsStack.INPUT).get(S3Bucket.NAME), S3Bucket.at(AwsStack.OUTPUT).get(S3Bucket.NAME),
                            resources.stream().anyMatch(r -> r.key().equals(AppLaunchTemplate.KEY))
                                    ? AppLaunchTemplate.ADDRESS.get(AppLaunchTemplate.ID) : null));
            resources.addAll(OpenStackStack.resources(openstack, openStackOptions, awsSide, bars));
        }
        return new StackSession(stack, target, aws, openstack, config, Graph.of(resources), cache, new Walker(PARALLELISM, listener, Errors::oneLine),
                keys);
    }

    /** The web tier's key, and the launch template its autoscaler launches from when the stack has one. */
    private static Set<String> awsKeysTheServerNeeds(List<Resource> awsResources) {
        Set<String> keys = new java.util.LinkedHashSet<>(Set.of(WebTierUser.KEY));
        awsResources.stream().map(Resource::key).filter(AppLaunchTemplate.KEY::equals).forEach(keys::add);
        return keys;
    }

    /**
     * The workers run HYBRID_APP_AMI when it is set; otherwise the stack bakes their image from the app-tier jar of
     * this checkout. With neither, no launch template is made.
     */
    static ComputeOptions computeOptions(Map<String, String> env, StackConfig config, Path workerJar, Options options, WebTierKeys keys) {
        String ami = Blank.toNull(env.get(EnvNames.APP_AMI));
        String instanceType = config.aws().instanceType();
        LaunchTemplateSpec template = null;
        AppImage.Inputs bake = null;
        try {
            if (ami != null) {
                template = new LaunchTemplateSpec(ami, instanceType, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
            } else if (Files.isRegularFile(workerJar)) {
                template = new LaunchTemplateSpec(null, instanceType, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
                bake = new AppImage.Inputs(workerJar, config.model().url(), config.model().profile(), instanceType);
            } else {
                log.info(EnvNames.APP_AMI + " is not set and there is no app-tier jar at {} to bake an image from: "
                        + "the app tier's launch template is left out", workerJar);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(EnvNames.APP_AMI + " / aws.instance_type: " + e.getMessage());
        }
        return new ComputeOptions(Blank.toNull(env.get(EnvNames.VPC_ID)), template, bake, options.keepImages(), options.rotateKeys(), keys,
                options.bars());
    }

    /** hybrid.yaml (given, or the working directory's), with the command line's overrides. */
    static StackConfig stackConfig(Map<String, String> env, TargetSpec spec) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (spec.webImage() != null) {
            overrides.put("openstack.web_image", spec.webImage());
        }
        if (spec.config() != null) {
            return StackConfigFile.load(spec.config(), env, overrides);
        }
        return StackConfigFile.loadFromWorkingDirectory(Path.of("").toAbsolutePath(), env, overrides);
    }

    /** The web tier's own narrow identity: the emulators' fixed key, or (on AWS) the stack's IAM user. */
    private static WebUserData.Credentials webTierCredentials(AwsTarget target, WebTierKeys keys) {
        if (target.local()) {
            return new WebUserData.Credentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY);
        }
        // The server is created after iam:web-tier, so a key made by this up is here; IAM never shows an older one again.
        return keys.created().map(key -> new WebUserData.Credentials(key.accessKeyId(), key.secretAccessKey()))
                .orElseThrow(() -> new ConfigurationException("the web server needs the web tier's secret key, and IAM shows a key's "
                        + "secret only when it is made: run 'hybrid up --rotate-keys' to issue a new key for the new server"));
    }

    /** The walk's JSON report, with the clouds of this session. */
    ObjectNode report(String command, WalkReport report, int exitCode) {
        ObjectNode document = JsonReports.of(command, report, target.describe(), TierSettings.fromOutputs(report.outputs()), exitCode);
        if (openstack != null) {
            document.put("openstack", openstack.cloudName());
        }
        return document;
    }

    /** Where the stack lives, for messages: {@code AWS local (...) and OpenStack cloud devstack-lite}. */
    String describeTargets() {
        return "AWS " + target.describe() + (openstack == null ? "" : " and OpenStack cloud " + openstack.cloudName());
    }

    /** An up or plan that would upload the web image needs its file; teardown and status do not, so they never ask. */
    void requireWebImageFile() {
        if (openstack != null && config.openstack().webImage() instanceof dev.hybrid.cli.config.WebImageSource.LocalFile file) {
            file.requireFile();
        }
    }

    /** Before up makes anything: the networks of hybrid.yaml exist on the OpenStack side (one line naming them if not). */
    void requireNetworks() {
        if (openstack != null) {
            OpenStackStack.checkNetworks(openstack, config.openstack());
        }
    }

    /** Whether this session provisions an OpenStack side. */
    boolean hasOpenStack() {
        return openstack != null;
    }

    /** The web tier's URL once the floating IP exists. */
    Optional<URI> webUrl(Map<String, Map<String, String>> outputs) {
        return FloatingIp.ADDRESS.get(FloatingIp.IP).in(outputs)
                .filter(address -> !address.isBlank())
                .map(address -> URI.create("http://" + address + ":" + config.openstack().webPort() + "/"));
    }

    /** The web server's id once the walk made or found it. */
    Optional<String> serverId(Map<String, Map<String, String>> outputs) {
        return openstack == null ? Optional.empty()
                : NovaServer.ADDRESS.get(NovaServer.ID).in(outputs).filter(id -> !id.isBlank());
    }

    /** Why the server can no longer come up (it went to ERROR), or empty. */
    Optional<String> serverFailure(String serverId) {
        return openstack == null ? Optional.empty() : new ServerConsole(openstack).failure(serverId);
    }

    /** The tail of the server's console log, with the web tier's secret key (when this process knows it) redacted. */
    List<String> consoleTail(String serverId, int lines) {
        if (openstack == null) {
            return List.of();
        }
        List<String> secrets = new ArrayList<>();
        if (target.local()) {
            secrets.add(LocalAws.SECRET_ACCESS_KEY);
        }
        webTierKeys.created().ifPresent(key -> secrets.add(key.secretAccessKey()));
        return new ServerConsole(openstack).tail(serverId, lines, secrets);
    }

    /** The deployment the cache or the tags know of. */
    Optional<String> existingDeployment() {
        return DeploymentIds.existing(stack, cache, walker, graph);
    }

    StackContext context(String deploymentId) {
        return new StackContext(stack, deploymentId);
    }

    @Override
    public void close() {
        walker.close();
        aws.close();
    }
}
