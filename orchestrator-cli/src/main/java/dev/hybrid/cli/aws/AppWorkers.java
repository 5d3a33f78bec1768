package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Waiter;
import java.time.Duration;
import dev.hybrid.contract.Roles;
import dev.hybrid.contract.TagKeys;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The app-tier instances, as one fleet. The autoscaler, not {@code up}, launches and stops them, so
 * up always keeps the fleet as it is; teardown terminates every instance tagged with the stack and
 * waits until they are gone, because until then they hold the security group.
 */
public final class AppWorkers implements Resource {
    public static final String KEY = "ec2:app-workers";
    static final String FLEET = "app-workers";
    static final String COUNT = "instances";
    private static final List<String> NOT_TERMINATED = List.of("pending", "running", "stopping", "stopped", "shutting-down");

    /** Terminating instances are gone within a few minutes. */
    static final Duration TERMINATION_TIMEOUT = Duration.ofMinutes(7);
    static final Duration TERMINATION_FIRST_POLL = Duration.ofSeconds(2);
    static final Duration TERMINATION_POLL_CAP = Duration.ofSeconds(15);
    private static final String TERMINATING = "terminating";

    private final Ec2Client ec2;
    private final Set<String> dependsOn;
    private final Waiter waiter;

    /** @param dependsOn what the instances use (launch template, security group, role), so teardown ends them first */
    public AppWorkers(Ec2Client ec2, Set<String> dependsOn, Waiter waiter) {
        this.ec2 = ec2;
        this.dependsOn = Set.copyOf(dependsOn);
        this.waiter = waiter;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "ec2-instances";
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    private List<Instance> instances(StackContext context) {
        return ec2.describeInstancesPaginator(b -> b.filters(Filter.builder().name(TagKeys.ec2Filter(TagKeys.STACK)).values(context.stack()).build(),
                        Filter.builder().name(TagKeys.ec2Filter(TagKeys.ROLE)).values(Roles.APP_WORKER).build(),
                        Filter.builder().name("instance-state-name").values(NOT_TERMINATED).build()))
                .reservations().stream().flatMap(r -> r.instances().stream()).toList();
    }

    /** Always the one fleet, possibly empty: its size is the autoscaler's business, never drift. */
    @Override
    public List<Observed> discover(StackContext context) {
        int count = instances(context).size();
        return List.of(new Observed(FLEET, context.deploymentId(), Map.of(COUNT, String.valueOf(count)), Map.of(COUNT, String.valueOf(count))));
    }

    @Override
    public boolean isCurrent(Observed observed, StackContext context) {
        return true;
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        return Diff.keep();
    }

    @Override
    public Observed create(StackContext context) {
        throw new IllegalStateException("the fleet always exists; the autoscaler launches its instances");
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        List<String> ids = instances(context).stream().filter(i -> !"shutting-down".equals(i.state().nameAsString()))
                .map(Instance::instanceId).toList();
        if (!ids.isEmpty()) {
            try {
                ec2.terminateInstances(b -> b.instanceIds(ids));
            } catch (Ec2Exception e) {
                if (!AwsErrors.is(e, "InvalidInstanceID.NotFound")) {
                    throw e;
                }
            }
        }
        waiter.until("app-tier instances to terminate", () -> {
                    List<Instance> left = instances(context);
                    return left.isEmpty() ? Waiter.Observation.notFound() : Waiter.Observation.of(left, TERMINATING);
                })
                .pending(TERMINATING).noting(seen -> seen.value().size() + " left")
                .backoff(TERMINATION_FIRST_POLL, TERMINATION_POLL_CAP).timeout(TERMINATION_TIMEOUT)
                .onTimeout(seen -> seen.value().size() + " app-tier instance(s) still shutting down; teardown again later")
                .await();
    }
}
