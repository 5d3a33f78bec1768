package dev.hybrid.web.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.localaws.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The autoscaler's EC2 provider against moto's EC2, which keeps real instance state: launches from
 * a launch template that tags the workers as the stack's template does, the warm pool parked by
 * StopInstances and woken by StartInstances, the maximum of 20 under a burst of concurrent
 * scale-outs, and the way back to no running worker. The provider's pauses do not sleep.
 */
class MotoEc2ComputeProviderTest {
    private static final String STACK = "mscale";
    private static final int MAX = Ec2ProviderSettings.DEFAULT_MAX_INSTANCES;
    private MotoServer moto;
    private Ec2Client ec2;
    private String templateId;

    @BeforeEach
    void start() {
        moto = MotoServer.shared();
        moto.reset();
        ec2 = Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID,
                        MotoServer.SECRET_ACCESS_KEY))).build();
        String ami = ec2.describeImages(b -> b.owners("amazon")).images().get(0).imageId();
        List<Tag> tags = List.of(Tag.builder().key("hybrid:stack").value(STACK).build(), Tag.builder().key("hybrid:role").value("app-worker").build());
        templateId = ec2.createLaunchTemplate(b -> b.launchTemplateName("hybrid-" + STACK + "-app").launchTemplateData(d -> d.imageId(ami)
                .instanceType("t3.medium").tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tags))))
                .launchTemplate().launchTemplateId();
    }

    @AfterEach
    void close() {
        if (ec2 != null) {
            ec2.close();
        }
    }

    private Ec2ComputeProvider provider(int warmPool) {
        return new Ec2ComputeProvider(ec2, new Ec2ProviderSettings(STACK, templateId, MAX, warmPool, Duration.ofSeconds(30)), pause -> { });
    }

    /** Instances of any state but terminated, by their EC2 state. */
    private Map<String, Long> byState() {
        return instances().stream().collect(Collectors.groupingBy(i -> i.state().nameAsString(), Collectors.counting()));
    }

    private List<Instance> instances() {
        return ec2.describeInstances(b -> b.filters(Filter.builder().name("instance-state-name")
                        .values("pending", "running", "stopping", "stopped", "shutting-down").build()))
                .reservations().stream().flatMap(r -> r.instances().stream()).toList();
    }

    /**
     * What the controller does tick after tick: asks for what is still missing. moto launches
     * MinCount instances where EC2 launches up to MaxCount, so there one call may bring in one.
     */
    private static int activateUntilServing(Ec2ComputeProvider provider, int wanted) {
        for (int tick = 0; tick < 2 * wanted && provider.counts().serving() < wanted; tick++) {
            provider.activate(wanted - provider.counts().serving());
        }
        return provider.counts().serving();
    }

    private long live() {
        return instances().stream().filter(i -> !i.state().nameAsString().equals("stopped")).count();
    }

    @Test
    void scalesFromZeroToNParksAndWakesTheWarmPoolAndBackToZero() {
        try (Ec2ComputeProvider provider = provider(2)) {
            assertEquals(FleetCounts.EMPTY, provider.counts());

            assertEquals(5, activateUntilServing(provider, 5), "a backlog: five workers");
            assertEquals(Map.of("running", 5L), byState());

            for (int tick = 0; tick < 10 && provider.counts().warm() + provider.counts().warming() < 2; tick++) {
                provider.replenishWarmPool(MAX);
            }
            FleetCounts parked = provider.counts(); // sees the warm-pool instances running and parks them
            assertEquals(Map.of("running", 5L, "stopped", 2L), byState(), parked::toString);
            assertEquals(2, provider.counts().warm());

            assertEquals(5, provider.deactivate(5, false), "the backlog is gone");
            assertEquals(0, provider.counts().serving());
            assertEquals(Map.of("stopped", 2L), byState(), "no worker runs; the warm pool waits, stopped");

            assertEquals(2, provider.activate(2), "the next backlog wakes the warm pool first");
            assertEquals(Map.of("running", 2L), byState(), "StartInstances, no launch");

            for (Instance instance : instances()) {
                Map<String, String> tags = instance.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
                assertEquals(STACK, tags.get("hybrid:stack"), () -> instance.instanceId() + " " + tags);
                assertEquals("app-worker", tags.get("hybrid:role"), () -> instance.instanceId() + " " + tags);
            }
        }
        assertEquals(Map.of(), byState(), "closing the provider terminates the fleet");
    }

    @Test
    void aBurstOfScaleOutsNeverExceedsTwenty() throws Exception {
        AtomicInteger highest = new AtomicInteger();
        AtomicBoolean bursting = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(9);
        try (Ec2ComputeProvider provider = provider(0)) {
            // An observer outside the provider: what EC2 itself shows while eight threads scale out at once.
            Future<?> observer = threads.submit(() -> {
                while (bursting.get()) {
                    highest.accumulateAndGet((int) live(), Math::max);
                }
            });
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> bursts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                bursts.add(threads.submit(() -> {
                    go.await();
                    int started = 0;
                    for (int round = 0; round < 5; round++) {
                        started += provider.activate(4);
                    }
                    return started;
                }));
            }
            go.countDown();
            int started = 0;
            for (Future<Integer> burst : bursts) {
                started += burst.get(5, TimeUnit.MINUTES);
            }
            bursting.set(false);
            observer.get(1, TimeUnit.MINUTES);
            highest.accumulateAndGet((int) live(), Math::max);

            assertEquals(MAX, started, "160 asked for (moto grants one a call), 20 granted");
            assertEquals(MAX, provider.counts().serving());
            assertTrue(highest.get() <= MAX, "EC2 showed " + highest.get() + " live instances");
            assertEquals(MAX, highest.get(), "the burst reached the maximum");

            assertEquals(MAX, provider.deactivate(MAX, false));
            assertEquals(0, provider.counts().serving());
        } finally {
            threads.shutdownNow();
        }
        assertEquals(Map.of(), byState());
    }

    @Test
    void demandTheBaseCapacityCoversStartsNoStoppedInstanceAndCloseEndsParkedOnesToo() {
        try (Ec2ComputeProvider provider = provider(2)) {
            for (int tick = 0; tick < 10 && provider.counts().warm() < 2; tick++) {
                provider.replenishWarmPool(MAX);
            }
            assertEquals(Map.of("stopped", 2L), byState(), "the warm pool, parked");
            ScalingController controller = new ScalingController(new ScalingPolicy(1, 0, MAX, 2), () -> 1, () -> Backlog.EMPTY,
                    provider, Duration.ofSeconds(1), () -> 0L);
            // A stopped instance's worker has ended, so it holds no message that waking it would bring back.
            assertEquals(0, controller.reconcile().activated());
            assertEquals(Map.of("stopped", 2L), byState(), "no StartInstances, no launch");
        }
        assertEquals(Map.of(), byState(), "closing the provider terminates the parked workers too");
    }
}
