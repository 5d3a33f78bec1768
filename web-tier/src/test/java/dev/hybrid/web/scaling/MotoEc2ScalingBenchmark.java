package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hybrid.localaws.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * How long the autoscaler's EC2 provider takes against moto to go from no worker to the maximum of
 * 20 serving and back to none running, as the controller drives it (tick after tick, asking for what
 * is missing). The provider's own pauses do not sleep and moto's instances change state at once, so
 * the figure is the provider's calls and moto's answers alone. Printed ({@code moto scaling:} lines),
 * not asserted; run with {@code -Dtest=MotoEc2ScalingBenchmark}. Recorded in docs/benchmarks.md.
 */
class MotoEc2ScalingBenchmark {
    private static final String STACK = "mbench";
    private static final int MAX = Ec2ProviderSettings.DEFAULT_MAX_INSTANCES;
    private static final int ROUNDS = 5;

    @Test
    void zeroToTwentyAndBackToZero() {
        MotoServer moto = MotoServer.shared();
        List<Double> up = new ArrayList<>();
        List<Double> down = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            moto.reset();
            AtomicInteger calls = new AtomicInteger();
            try (Ec2Client ec2 = client(moto, calls)) {
                String ami = ec2.describeImages(b -> b.owners("amazon")).images().get(0).imageId();
                List<Tag> tags = List.of(Tag.builder().key("hybrid:stack").value(STACK).build(),
                        Tag.builder().key("hybrid:role").value("app-worker").build());
                String template = ec2.createLaunchTemplate(b -> b.launchTemplateName("hybrid-" + STACK + "-app").launchTemplateData(d -> d
                        .imageId(ami).instanceType("t3.medium").tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tags))))
                        .launchTemplate().launchTemplateId();
                try (Ec2ComputeProvider provider = new Ec2ComputeProvider(ec2, new Ec2ProviderSettings(STACK, template, MAX, 0, Duration.ZERO),
                        pause -> { })) {
                    calls.set(0);
                    long started = System.nanoTime();
                    int ticks = 0;
                    while (provider.counts().serving() < MAX && ticks < 4 * MAX) {
                        provider.activate(MAX - provider.counts().serving());
                        ticks++;
                    }
                    double upSeconds = (System.nanoTime() - started) / 1e9;
                    assertEquals(MAX, running(ec2), "EC2 runs the maximum");
                    int upCalls = calls.get();

                    calls.set(0);
                    started = System.nanoTime();
                    provider.deactivate(MAX, false);
                    while (provider.counts().serving() > 0) {
                        provider.deactivate(provider.counts().serving(), false);
                    }
                    double downSeconds = (System.nanoTime() - started) / 1e9;
                    assertEquals(0, running(ec2), "no worker runs");
                    up.add(upSeconds);
                    down.add(downSeconds);
                    System.out.printf(Locale.ROOT, "moto scaling: round %d: 0 -> %d in %.2f s (%d ticks, %d EC2 calls), %d -> 0 in %.2f s (%d EC2 calls)%n",
                            round + 1, MAX, upSeconds, ticks, upCalls, MAX, downSeconds, calls.get());
                }
            }
        }
        System.out.printf(Locale.ROOT, "moto scaling: median of %d: 0 -> %d %.2f s, %d -> 0 %.2f s%n", ROUNDS, MAX, median(up), MAX, median(down));
    }

    private static int running(Ec2Client ec2) {
        return (int) ec2.describeInstances(b -> b.filters(Filter.builder().name("instance-state-name").values("pending", "running").build(),
                        Filter.builder().name("tag:hybrid:stack").values(STACK).build()))
                .reservations().stream().mapToLong(r -> r.instances().size()).sum();
    }

    private static Ec2Client client(MotoServer moto, AtomicInteger calls) {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.incrementAndGet();
            }
        };
        return Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID,
                        MotoServer.SECRET_ACCESS_KEY)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter)).build();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
