package dev.hybrid.cli;

import dev.hybrid.cli.aws.AwsClients;
import dev.hybrid.cli.aws.AwsStack;
import dev.hybrid.cli.aws.AwsTarget;
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
import dev.hybrid.localaws.LocalAws;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private StackSession(String stack, AwsTarget target, AwsClients aws, OpenStackApi openstack, StackConfig config, Graph graph,
                         StateCache cache, Walker walker) {
        this.config = config;
        this.stack = stack;
        this.target = target;
        this.aws = aws;
        this.openstack = openstack;
        this.graph = graph;
        this.cache = cache;
        this.walker = walker;
    }

    static StackSession open(HybridMain main, TargetOptions targets, ProgressListener listener) {
        return open(main, targets, listener, ProgressBars.NONE);
    }

    static StackSession open(HybridMain main, TargetOptions targets, ProgressListener listener, ProgressBars bars) {
        String stack = main.stack();
        AwsTarget target = AwsTarget.resolve(targets.aws(), targets.sqsEndpoint(), targets.s3Endpoint(), main.env());
        AwsClients aws = new AwsClients(target);
        // A local stack keeps its cache beside its data, apart from an AWS stack of the same name.
        Path stateDirectory = LocalMode.wanted(targets) ? LocalLayout.of(stack, main.env()).state() : StateCache.defaultDirectory(main.env());
        StateCache cache = new StateCache(stateDirectory, stack);
        List<Resource> resources = new ArrayList<>(AwsStack.resources(aws));
        OpenStackApi openstack = null;
        StackConfig config = stackConfig(main, targets);
        String osCloud = firstNonBlank(targets.osCloud(), main.env().get("OS_CLOUD"), config.openstack().cloud());
        if (osCloud != null && !osCloud.equals("local")) {
            CloudConfig cloud = new CloudConfigLoader(main.env(), CloudsFileLocator.forThisMachine(main.env())).load(osCloud, null);
            openstack = new OpenStackApi(KeystoneSession.forCloud(cloud));
            String sshCidr = SshCidr.resolve(config.openstack().sshCidr(), URI.create(cloud.auth().authUrl()));
            OpenStackStack.Options options = new OpenStackStack.Options(config.openstack(), sshCidr, targets.sshPublicKey,
                    stateDirectory.resolve(stack + "-ssh"), SERVER_TIMEOUT);
            OpenStackStack.AwsSide awsSide = new OpenStackStack.AwsSide(target.region().id(),
                    target.local() ? target.sqsEndpoint() : null, target.local() ? target.s3Endpoint() : null,
                    () -> webTierCredentials(target), aws::s3);
            resources.addAll(OpenStackStack.resources(openstack, options, awsSide, bars));
        }
        return new StackSession(stack, target, aws, openstack, config, Graph.of(resources), cache, new Walker(PARALLELISM, listener, Errors::oneLine));
    }

    private static StackConfig stackConfig(HybridMain main, TargetOptions targets) {
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
    private static WebUserData.Credentials webTierCredentials(AwsTarget target) {
        if (target.local()) {
            return new WebUserData.Credentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY);
        }
        throw new ConfigurationException("the web tier's AWS identity (an IAM user with a narrow policy) is not provisioned by this "
                + "version, so a web server cannot be booted against real AWS yet; use --aws local, or --os-cloud local");
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
