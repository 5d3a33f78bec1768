package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.VirtualClock;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.localaws.MotoServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * The AMI bake against moto's EC2. moto never runs user data, so the builder would never power
 * itself off: the test plays the recipe's power-off by stopping the builder in the poller's pause.
 */
class MotoImageBakeTest {
    private static final StackContext CONTEXT = new StackContext("mbake", "d1");
    private MotoServer moto;
    private MotoClients aws;
    private int stopped;

    @BeforeEach
    void start() {
        moto = MotoServer.shared();
        moto.reset();
        aws = new MotoClients(moto.endpoint());
    }

    @AfterEach
    void close() {
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void aBakedImageAndItsSnapshotsCarryTheStackTagsAndTheBuilderIsTerminated() {
        String profileArn = aws.iam.createInstanceProfile(b -> b.instanceProfileName("bake-profile")).instanceProfile().arn();
        String groupId = aws.ec2.createSecurityGroup(b -> b.groupName("bake-sg").description("bake")).groupId();
        ImageBake bake = new ImageBake(aws.ec2, new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(1), pause -> { }),
                new Waiter(new VirtualClock(pause -> stopRunningBuilders()), ProgressBars.NONE), Duration.ofSeconds(15),
                Duration.ofMinutes(30), Duration.ofMinutes(45));
        String base = bake.newestAmazonLinux().imageId();

        String imageId = bake.bake(new ImageBake.Request("hybrid-app-moto", "moto bake", base, "t3.medium", profileArn, groupId,
                "#!/bin/bash\npoweroff\n", Ec2Tags.of(CONTEXT, AppImage.ROLE), Ec2Tags.of(CONTEXT, AppImage.BUILDER_ROLE)));

        assertEquals(1, stopped, "the builder ran until the test powered it off");
        Image image = aws.ec2.describeImages(b -> b.imageIds(imageId)).images().get(0);
        assertEquals("available", image.stateAsString());
        assertEquals("mbake", Ec2Tags.asMap(image.tags()).get("hybrid:stack"));
        List<String> snapshots = image.blockDeviceMappings().stream().filter(m -> m.ebs() != null).map(m -> m.ebs().snapshotId()).toList();
        assertFalse(snapshots.isEmpty(), "the image has a snapshot");
        for (Snapshot snapshot : aws.ec2.describeSnapshots(b -> b.snapshotIds(snapshots)).snapshots()) {
            Map<String, String> tags = Ec2Tags.asMap(snapshot.tags());
            assertEquals("mbake", tags.get("hybrid:stack"), () -> snapshot.snapshotId() + " is tagged with the stack: " + tags);
            assertEquals(AppImage.ROLE, tags.get("hybrid:role"));
        }
        assertEquals(List.of("terminated"), builders().stream().map(i -> i.state().nameAsString()).toList());

        bake.deleteImage(imageId);
        assertTrue(aws.ec2.describeImages(b -> b.owners("self")).images().isEmpty(), "the image is deregistered");
        assertTrue(aws.ec2.describeSnapshots(b -> b.filters(Filter.builder().name("tag:hybrid:stack").values("mbake").build()))
                .snapshots().isEmpty(), "its snapshots are deleted");
    }

    private List<Instance> builders() {
        return aws.ec2.describeInstances(b -> b.filters(Filter.builder().name("tag:hybrid:role").values(AppImage.BUILDER_ROLE).build()))
                .reservations().stream().flatMap(r -> r.instances().stream()).toList();
    }

    /** What the recipe's last line does on a real builder. */
    private void stopRunningBuilders() {
        List<String> running = builders().stream().filter(i -> "running".equals(i.state().nameAsString())).map(Instance::instanceId).toList();
        if (!running.isEmpty()) {
            aws.ec2.stopInstances(b -> b.instanceIds(running));
            stopped += running.size();
        }
    }
}
