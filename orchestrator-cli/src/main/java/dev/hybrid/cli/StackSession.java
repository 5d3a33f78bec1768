package dev.hybrid.cli;

import dev.hybrid.cli.aws.AwsClients;
import dev.hybrid.cli.aws.AwsStack;
import dev.hybrid.cli.aws.AwsTarget;
import dev.hybrid.cli.aws.ComputeOptions;
import dev.hybrid.cli.aws.LaunchTemplateSpec;
import dev.hybrid.cli.aws.WebTierKeys;
import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.StateCache;
import dev.hybrid.cli.engine.Walker;
import dev.hybrid.cli.local.LocalLayout;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everything a stack command needs: the clients, the graph, the state cache and a walker. */
final class StackSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StackSession.class);
    private static final int PARALLELISM = 8;
    static final String DEFAULT_INSTANCE_TYPE = "t3.medium";

    final String stack;
    final AwsTarget target;
    final AwsClients aws;
    final Graph graph;
    final StateCache cache;
    final Walker walker;
    /** A web-tier access key created by this up; in memory only. */
    final WebTierKeys webTierKeys;

    private StackSession(String stack, AwsTarget target, AwsClients aws, Graph graph, StateCache cache, Walker walker, WebTierKeys webTierKeys) {
        this.stack = stack;
        this.target = target;
        this.aws = aws;
        this.graph = graph;
        this.cache = cache;
        this.walker = walker;
        this.webTierKeys = webTierKeys;
    }

    static StackSession open(HybridMain main, TargetOptions targets, ProgressListener listener) {
        return open(main, targets, listener, false);
    }

    static StackSession open(HybridMain main, TargetOptions targets, ProgressListener listener, boolean rotateKeys) {
        String stack = main.stack();
        String osCloud = targets.osCloud() != null ? targets.osCloud() : main.env().get("OS_CLOUD");
        if (osCloud != null && !osCloud.equals("local")) {
            log.warn("the OpenStack side is not provisioned by this version; --os-cloud {} is ignored", osCloud);
        }
        AwsTarget target = AwsTarget.resolve(targets.aws(), targets.sqsEndpoint(), targets.s3Endpoint(), main.env());
        AwsClients aws = new AwsClients(target);
        // A local stack keeps its cache beside its data, apart from an AWS stack of the same name.
        StateCache cache = new StateCache(LocalMode.wanted(targets) ? LocalLayout.of(stack, main.env()).state()
                : StateCache.defaultDirectory(main.env()), stack);
        WebTierKeys keys = new WebTierKeys();
        ComputeOptions compute = target.local() ? null : computeOptions(main.env(), rotateKeys, keys);
        Graph graph = Graph.of(AwsStack.resources(aws, AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS, compute));
        return new StackSession(stack, target, aws, graph, cache, new Walker(PARALLELISM, listener, Errors::oneLine), keys);
    }

    /** The app-tier AMI comes from HYBRID_APP_AMI until images/app-tier bakes it; without one no launch template is made. */
    static ComputeOptions computeOptions(java.util.Map<String, String> env, boolean rotateKeys, WebTierKeys keys) {
        String ami = blankToNull(env.get("HYBRID_APP_AMI"));
        LaunchTemplateSpec template = null;
        if (ami != null) {
            try {
                template = new LaunchTemplateSpec(ami, env.getOrDefault("HYBRID_APP_INSTANCE_TYPE", DEFAULT_INSTANCE_TYPE),
                        AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("HYBRID_APP_AMI / HYBRID_APP_INSTANCE_TYPE: " + e.getMessage());
            }
        } else {
            log.info("HYBRID_APP_AMI is not set: the app tier's launch template is left out until there is an image");
        }
        return new ComputeOptions(blankToNull(env.get("HYBRID_VPC_ID")), template, rotateKeys, keys);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
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
