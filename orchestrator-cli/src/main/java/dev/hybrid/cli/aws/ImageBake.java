package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Waiter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Bakes an AMI the way images/ describes: a builder instance runs a recipe as its user-data and
 * powers itself off; the stopped volume becomes the image; the builder is terminated whatever
 * happened. The recipe writes {@code hybrid-bake: OK} or {@code hybrid-bake: FAILED ...} to the
 * console, so a failed recipe never becomes an image.
 */
final class ImageBake {
    private static final Logger log = LoggerFactory.getLogger(ImageBake.class);
    static final String FAILED_MARK = "hybrid-bake: FAILED";
    private static final int CONSOLE_LINES_IN_ERRORS = 8;

    /**
     * @param builderTags tags of the builder instance and its volume; {@code imageTags} those of the image and its snapshots
     */
    record Request(String imageName, String description, String baseImageId, String instanceType, String instanceProfileArn,
                   String securityGroupId, String userData, List<Tag> imageTags, List<Tag> builderTags) {
        @Override
        public String toString() {
            return "ImageBake.Request[" + imageName + " from " + baseImageId + "]";
        }
    }

    /**
     * The waits for the builder and the image start polling this soon and double up to {@code poll}:
     * four more DescribeInstances/DescribeImages calls in a bake of minutes, and an emulator, which
     * stops a builder and makes an image at once, answers in seconds rather than one whole poll.
     */
    static final Duration FIRST_POLL = Duration.ofSeconds(1);

    private final Ec2Client ec2;
    private final Backoff propagation;
    private final Waiter waiter;
    private final Duration poll;
    private final Duration builderTimeout;
    private final Duration imageTimeout;

    ImageBake(Ec2Client ec2, Backoff propagation, Waiter waiter, Duration poll, Duration builderTimeout, Duration imageTimeout) {
        this.ec2 = ec2;
        this.propagation = propagation;
        this.waiter = waiter;
        this.poll = poll;
        this.builderTimeout = builderTimeout;
        this.imageTimeout = imageTimeout;
    }

    /** A builder usually powers off within 5-10 minutes and an image of 8 GiB is available within 5-15. */
    static ImageBake standard(Ec2Client ec2, ProgressBars bars) {
        return new ImageBake(ec2, Backoff.iamPropagation(), Waiter.system(bars), Duration.ofSeconds(15),
                Duration.ofMinutes(30), Duration.ofMinutes(45));
    }

    /** The newest Amazon Linux 2023 image for x86_64 that Amazon publishes in the region. */
    Image newestAmazonLinux() {
        List<Image> images = ec2.describeImages(b -> b.owners("amazon").filters(
                filter("name", "al2023-ami-2023.*-kernel-*-x86_64"), filter("architecture", "x86_64"),
                filter("state", "available"), filter("root-device-type", "ebs"))).images();
        return images.stream().max(Comparator.comparing(Image::creationDate))
                .orElseThrow(() -> new IllegalStateException("this region lists no Amazon Linux 2023 x86_64 image (DescribeImages, owner amazon)"));
    }

    /** An image of this account by its exact name, e.g. one an earlier up baked from the same inputs. */
    Optional<Image> ownImageNamed(String name) {
        return ec2.describeImages(b -> b.owners("self").filters(filter("name", name))).images().stream().findFirst();
    }

    /** Runs the whole bake; returns the image id once the image is available. */
    String bake(Request request) {
        String builder = launchBuilder(request);
        try {
            waitForBuilderToStop(builder, request.imageName());
            failIfTheRecipeFailed(builder);
            String imageId = createImage(builder, request);
            waitUntilAvailable(imageId);
            return imageId;
        } finally {
            terminate(builder);
        }
    }

    private String launchBuilder(Request request) {
        // One token per attempt: the SDK's own retries of this call reuse it, so they never launch a second builder.
        String token = UUID.randomUUID().toString();
        String builder = propagation.call("launching the image builder for " + request.imageName(), AwsErrors::isIamPropagation,
                () -> ec2.runInstances(b -> b.imageId(request.baseImageId()).instanceType(request.instanceType())
                        .minCount(1).maxCount(1).clientToken(token)
                        .iamInstanceProfile(p -> p.arn(request.instanceProfileArn()))
                        .securityGroupIds(request.securityGroupId())
                        // stop, not terminate: the stopped volume is what becomes the image
                        .instanceInitiatedShutdownBehavior(ShutdownBehavior.STOP)
                        .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED))
                        .userData(Base64.getEncoder().encodeToString(request.userData().getBytes(StandardCharsets.UTF_8)))
                        .tagSpecifications(tagged(ResourceType.INSTANCE, request.builderTags()), tagged(ResourceType.VOLUME, request.builderTags())))
                        .instances().get(0).instanceId());
        log.info("image builder {} launched from {} for {}", builder, request.baseImageId(), request.imageName());
        return builder;
    }

    /** The recipe powers the builder off when it is done; shutting down or terminated means someone else ended it. */
    private void waitForBuilderToStop(String builder, String imageName) {
        waiter.until("baking " + imageName + " on " + builder, () -> Waiter.Observation.of(builder, instanceState(builder)))
                .pending("pending", "running", "stopping").target("stopped").backoff(FIRST_POLL.compareTo(poll) < 0 ? FIRST_POLL : poll, poll).timeout(builderTimeout)
                .onUnexpected(seen -> "the image builder " + builder + " was " + seen.state() + " before it finished" + consoleEnding(builder))
                .onTimeout(seen -> "the image builder " + builder + " did not power off within " + builderTimeout.toMinutes()
                        + " min (state " + seen.state() + ")" + consoleEnding(builder))
                .await();
    }

    private String instanceState(String instanceId) {
        List<Instance> instances = ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList();
        return instances.isEmpty() ? "terminated" : instances.get(0).state().nameAsString();
    }

    private void failIfTheRecipeFailed(String builder) {
        Optional<String> console = console(builder);
        if (console.isPresent() && console.get().contains(FAILED_MARK)) {
            throw new IllegalStateException("the image recipe failed on builder " + builder + ": " + tail(console.get()));
        }
    }

    /** For an error message: how the builder's console ends, or nothing when it has no console yet. */
    private String consoleEnding(String builder) {
        return console(builder).map(ImageBake::tail).map(tail -> "; its console ends with: " + tail).orElse("");
    }

    private Optional<String> console(String builder) {
        try {
            String output = ec2.getConsoleOutput(b -> b.instanceId(builder).latest(true)).output();
            return output == null || output.isEmpty() ? Optional.empty()
                    : Optional.of(new String(Base64.getMimeDecoder().decode(output), StandardCharsets.UTF_8));
        } catch (Ec2Exception e) {
            log.debug("no console output from {}", builder, e);
            return Optional.empty();
        }
    }

    private static String tail(String console) {
        List<String> lines = Arrays.stream(console.split("\r?\n")).map(String::strip).filter(line -> !line.isEmpty()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - CONSOLE_LINES_IN_ERRORS), lines.size()));
    }

    private String createImage(String builder, Request request) {
        try {
            try {
                return ec2.createImage(b -> b.instanceId(builder).name(request.imageName()).description(request.description())
                        .tagSpecifications(tagged(ResourceType.IMAGE, request.imageTags()), tagged(ResourceType.SNAPSHOT, request.imageTags())))
                        .imageId();
            } catch (Ec2Exception e) {
                if (e.statusCode() != 500 || e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() != null) {
                    throw e;
                }
                // AWS names every error; an emulator that cannot tag snapshots at creation (moto) fails without a code.
                log.warn("CreateImage with snapshot tags failed without an error code; creating {} and tagging its snapshots after",
                        request.imageName());
                String imageId = ec2.createImage(b -> b.instanceId(builder).name(request.imageName()).description(request.description())
                        .tagSpecifications(tagged(ResourceType.IMAGE, request.imageTags()))).imageId();
                List<String> snapshots = snapshotsOf(imageId);
                if (!snapshots.isEmpty()) {
                    ec2.createTags(b -> b.resources(snapshots).tags(request.imageTags()));
                }
                return imageId;
            }
        } catch (Ec2Exception e) {
            if (!AwsErrors.is(e, "InvalidAMIName.Duplicate")) {
                throw e;
            }
            // Another up baked the same inputs meanwhile: its image is as good as ours.
            return ownImageNamed(request.imageName()).map(Image::imageId).orElseThrow(() -> e);
        }
    }

    /** EC2 may not list an image it has just made; one that fails, or is deregistered meanwhile, ends the wait. */
    void waitUntilAvailable(String imageId) {
        waiter.until("image " + imageId + " to available", () -> ec2.describeImages(b -> b.imageIds(imageId)).images().stream().findFirst()
                        .map(image -> Waiter.Observation.of(image, image.stateAsString())).orElseGet(Waiter.Observation::notFound))
                .pending("pending", "transient").target("available").backoff(FIRST_POLL.compareTo(poll) < 0 ? FIRST_POLL : poll, poll).timeout(imageTimeout)
                .onUnexpected(seen -> "image " + imageId + " ended " + seen.state()
                        + (seen.value().stateReason() == null ? "" : ": " + seen.value().stateReason().message()))
                .onTimeout(seen -> "image " + imageId + " was not available within " + imageTimeout.toMinutes() + " min"
                        + (seen.found() ? " (state " + seen.state() + ")" : " (not found)"))
                .await();
    }

    void terminate(String instanceId) {
        try {
            ec2.terminateInstances(b -> b.instanceIds(instanceId));
        } catch (Ec2Exception e) {
            if (!AwsErrors.is(e, "InvalidInstanceID.NotFound")) {
                log.warn("could not terminate image builder {}: {}; teardown finds it by its tags", instanceId, AwsErrors.code(e));
            }
        }
    }

    /** Deregisters an image and deletes the snapshots behind it, which deregistering leaves (and bills). */
    void deleteImage(String imageId) {
        List<String> snapshots = snapshotsOf(imageId);
        try {
            ec2.deregisterImage(b -> b.imageId(imageId));
        } catch (Ec2Exception e) {
            if (!AwsErrors.is(e, "InvalidAMIID.NotFound", "InvalidAMIID.Unavailable")) {
                throw e;
            }
        }
        for (String snapshot : snapshots) {
            try {
                ec2.deleteSnapshot(b -> b.snapshotId(snapshot));
            } catch (Ec2Exception e) {
                if (!AwsErrors.is(e, "InvalidSnapshot.NotFound")) {
                    throw e;
                }
            }
        }
    }

    private List<String> snapshotsOf(String imageId) {
        return ec2.describeImages(b -> b.imageIds(imageId)).images().stream()
                .flatMap(image -> image.blockDeviceMappings().stream())
                .filter(mapping -> mapping.ebs() != null && mapping.ebs().snapshotId() != null)
                .map(mapping -> mapping.ebs().snapshotId()).toList();
    }

    private static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    private static TagSpecification tagged(ResourceType type, List<Tag> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags).build();
    }
}
