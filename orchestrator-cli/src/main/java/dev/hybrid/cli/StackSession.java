package dev.hybrid.cli;

import dev.hybrid.cli.aws.AppLaunchTemplate;
import dev.hybrid.cli.aws.AwsClients;
import dev.hybrid.cli.aws.AwsStack;
import dev.hybrid.cli.aws.AwsTarget;
import dev.hybrid.cli.aws.AppImage;
import dev.hybrid.cli.aws.ComputeOptions;
import dev.hybrid.cli.aws.LaunchTemplateSpec;
import dev.hybrid.cli.aws.WebTierKeys;
import dev.hybrid.cli.aws.WebTierUser;
import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.StateCache;
import dev.hybrid.cli.engine.Walker;
import dev.hybrid.cli.local.LocalLayout;
import dev.hybrid.cli.config.CloudConfig;
import dev.hybrid.cli.config.CloudConfigLoader;
import dev.hybrid.cli.config.CloudsFileLocator;
import dev.hybrid.cli.config.SshCidr;
import dev.hybrid.cli.config.StackConfig;
import dev.hybrid.cli.config.StackConfigFile;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.openstack.FloatingIp;
import dev.hybrid.cli.openstack.OpenStackApi;
import dev.hybrid.cli.openstack.OpenStackStack;
import dev.hybrid.cli.openstack.WebUserData;
import dev.hybrid.cli.openstack.auth.KeystoneSession;
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
final class StackSession implements AutoCloseable {
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

    static StackSession open(HybridMain main, TargetOptions targets, ProgressListener listener) {
        return open(main, targets, listener, Options.NONE);
    }

    static StackSession open(HybridMain main, TargetOptions targets, ProgressListener listener, Options options) {
        ProgressBars bars = options.bars();
        String stack = main.stack();
        AwsTarget target = AwsTarget.resolve(targets.aws(), targets.sqsEndpoint(), targets.s3Endpoint(), main.env());
        AwsClients aws = new AwsClients(target);
        // A local stack keeps its cache beside its data, apart from an AWS stack of the same name.
        Path stateDirectory = LocalMode.wanted(targets) ? LocalLayout.of(stack, main.env()).state() : StateCache.defaultDirectory(main.env());
        StateCache cache = new StateCache(stateDirectory, stack);
        WebTierKeys keys = options.keys();
        StackConfig config = stackConfig(main, targets);
        ComputeOptions compute = target.local() ? null
                : computeOptions(main.env(), config, LocalLayout.of(stack, main.env()).workerJar(), options, keys);
        List<Resource> resources = new ArrayList<>(AwsStack.resources(aws, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS, compute));
        OpenStackApi openstack = null;
        String osCloud = firstNonBlank(targets.osCloud(), main.env().get("OS_CLOUD"), config.openstack().cloud());
        if (osCloud != null && !osCloud.equals("local")) {
            CloudConfig cloud = new CloudConfigLoader(main.env(), CloudsFileLocator.forThisMachine(main.env())).load(osCloud, null);
            openstack = new OpenStackApi(KeystoneSession.forCloud(cloud));
            String sshCidr = SshCidr.resolve(config.openstack().sshCidr(), URI.create(cloud.auth().authUrl()));
            OpenStackStack.Options openStackOptions = new OpenStackStack.Options(config.openstack(), sshCidr, targets.sshPublicKey,
                    stateDirectory.resolve(stack + "-ssh"), SERVER_TIMEOUT);
            OpenStackStack.AwsSide awsSide = new OpenStackStack.AwsSide(target.region().id(),
                    target.local() ? target.sqsEndpoint() : null, target.local() ? target.s3Endpoint() : null,
                    () -> webTierCredentials(target, keys),
                    context -> target.local() ? LocalAws.ACCESS_KEY_ID
                            : context.output(WebTierUser.KEY, WebTierUser.OUTPUT_ACCESS_KEY_ID).orElse("(not yet created)"),
                    aws::s3,
                    target.local() ? Set.of() : awsKeysTheServerNeeds(resources));
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
        String ami = blankToNull(env.get(EnvNames.APP_AMI));
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
        return new ComputeOptions(blankToNull(env.get(EnvNames.VPC_ID)), template, bake, options.keepImages(), options.rotateKeys(), keys,
                options.bars());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static StackConfig stackConfig(HybridMain main, TargetOptions targets) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (targets.webImage != null) {
            overrides.put("openstack.web_image", targets.webImage);
        }
        if (targets.config != null) {
            return StackConfigFile.load(targets.config, main.env(), overrides);
        }
        return StackConfigFile.loadFromWorkingDirectory(Path.of("").toAbsolutePath(), main.env(), overrides);
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

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
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

    /** Whether this session provisions an OpenStack side. */
    boolean hasOpenStack() {
        return openstack != null;
    }

    /** The web tier's URL once the floating IP exists. */
    Optional<URI> webUrl(Map<String, Map<String, String>> outputs) {
        return Optional.ofNullable(outputs.getOrDefault(FloatingIp.KEY, Map.of()).get(FloatingIp.OUTPUT_ADDRESS))
                .filter(address -> !address.isBlank())
                .map(address -> URI.create("http://" + address + ":" + config.openstack().webPort() + "/"));
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
