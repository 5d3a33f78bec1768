package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.contract.Roles;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS side of a deployment: three queues and three buckets, the same in local mode and on AWS;
 * on a real AWS target also the IAM role and user, the app-tier image and the workers' EC2 pieces.
 */
public final class AwsStack {
    public static final String INPUT = Roles.INPUT_BUCKET;
    public static final String OUTPUT = Roles.OUTPUT_BUCKET;
    public static final String ARTIFACTS = Roles.ARTIFACTS_BUCKET;
    /** A batch of ten images at a few seconds each, with room to spare. */
    public static final int DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 120;

    private AwsStack() {
    }

    public static List<Resource> resources(AwsClients aws) {
        return resources(aws, DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
    }

    public static List<Resource> resources(AwsClients aws, int requestVisibilityTimeoutSeconds) {
        QueueSpec deadLetter = QueueSpec.deadLetter();
        return List.of(
                new SqsQueue(aws.sqs(), deadLetter),
                new SqsQueue(aws.sqs(), QueueSpec.request(requestVisibilityTimeoutSeconds, SqsQueue.keyFor(deadLetter.role()))),
                new SqsQueue(aws.sqs(), QueueSpec.response()),
                new S3Bucket(aws, INPUT),
                new S3Bucket(aws, OUTPUT),
                new S3Bucket(aws, ARTIFACTS));
    }

    /**
     * The queues and buckets, plus on real AWS the IAM and EC2 resources. Local mode has no IAM or
     * EC2 emulator, so there the graph stays the queues and buckets.
     */
    public static List<Resource> resources(AwsClients aws, int requestVisibilityTimeoutSeconds, ComputeOptions compute) {
        List<Resource> resources = new ArrayList<>(resources(aws, requestVisibilityTimeoutSeconds));
        if (aws.target().local() || compute == null) {
            return resources;
        }
        resources.add(new AppTierRole(aws.iam(), Backoff.iamPropagation()));
        resources.add(new WebTierUser(aws.iam(), compute.keys(), Backoff.iamPropagation(), compute.rotateKeys()));
        resources.add(new AppSecurityGroup(aws.ec2(), compute.vpcId(), Backoff.dependencies()));
        // Always in the graph, so that teardown finds baked images by their tags even when this up bakes none.
        resources.add(new AppImage(aws.ec2(), aws.s3(), compute.appImage(), compute.keepImages(), ImageBake.standard(aws.ec2(), compute.bars())));
        java.util.Set<String> workersUse = new java.util.HashSet<>(java.util.Set.of(AppSecurityGroup.KEY, AppTierRole.KEY));
        if (compute.launchTemplate() != null) {
            resources.add(new AppLaunchTemplate(aws.ec2(), compute.launchTemplate(), Backoff.iamPropagation()));
            workersUse.add(AppLaunchTemplate.KEY);
        }
        // Always in the graph, so teardown ends every worker first, even one launched from a template since removed.
        resources.add(new AppWorkers(aws.ec2(), workersUse, Waiter.system(compute.bars())));
        return resources;
    }
}
