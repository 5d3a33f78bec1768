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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everything a stack command needs: the clients, the graph, the state cache and a walker. */
final class StackSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StackSession.class);
    private static final int PARALLELISM = 8;

    final String stack;
    final AwsTarget target;
    final AwsClients aws;
    final Graph graph;
    final StateCache cache;
    final Walker walker;

    private StackSession(String stack, AwsTarget target, AwsClients aws, Graph graph, StateCache cache, Walker walker) {
        this.stack = stack;
        this.target = target;
        this.aws = aws;
        this.graph = graph;
        this.cache = cache;
        this.walker = walker;
    }

    static StackSession open(HybridMain main, TargetOptions targets, ProgressListener listener) {
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
        return new StackSession(stack, target, aws, Graph.of(AwsStack.resources(aws)), cache, new Walker(PARALLELISM, listener, Errors::oneLine));
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
