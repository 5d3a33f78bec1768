package dev.hybrid.cli.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Every kind of thing a stack can leave in moto, as {@code kind -> ids}, read with the test's own
 * SDK clients (not hybrid's resources): the same kinds and ids as {@link AwsCli#inventory()}, in
 * milliseconds instead of seconds of Python start-up per call.
 */
final class MotoInventory {
    private MotoInventory() {
    }

    static Map<String, TreeSet<String>> of(MotoClients aws) {
        Map<String, TreeSet<String>> kinds = new TreeMap<>();
        kinds.put("instances", collect(aws.ec2.describeInstancesPaginator(b -> b.filters(Filter.builder().name("instance-state-name")
                        .values("pending", "running", "stopping", "stopped", "shutting-down").build())).reservations().stream()
                .flatMap(r -> r.instances().stream()).map(i -> i.instanceId())));
        kinds.put("images", collect(aws.ec2.describeImages(b -> b.owners("self")).images().stream().map(i -> i.imageId())));
        kinds.put("snapshots", collect(aws.ec2.describeSnapshotsPaginator(b -> b.ownerIds("self")).snapshots().stream().map(s -> s.snapshotId())));
        kinds.put("launch-templates", collect(aws.ec2.describeLaunchTemplatesPaginator(b -> { }).launchTemplates().stream()
                .map(t -> t.launchTemplateName())));
        kinds.put("security-groups", collect(aws.ec2.describeSecurityGroupsPaginator(b -> { }).securityGroups().stream().map(g -> g.groupName())));
        kinds.put("roles", collect(aws.iam.listRolesPaginator(b -> { }).roles().stream().map(r -> r.roleName())));
        TreeSet<String> users = collect(aws.iam.listUsersPaginator(b -> { }).users().stream().map(u -> u.userName()));
        kinds.put("users", users);
        TreeSet<String> keys = new TreeSet<>();
        users.forEach(user -> aws.iam.listAccessKeysPaginator(b -> b.userName(user)).accessKeyMetadata().forEach(k -> keys.add(k.accessKeyId())));
        kinds.put("access-keys", keys);
        kinds.put("instance-profiles", collect(aws.iam.listInstanceProfilesPaginator(b -> { }).instanceProfiles().stream()
                .map(p -> p.instanceProfileName())));
        kinds.put("queues", collect(aws.sqs.listQueuesPaginator(b -> { }).queueUrls().stream()));
        kinds.put("buckets", collect(aws.s3.listBuckets().buckets().stream().map(b -> b.name())));
        return kinds;
    }

    private static TreeSet<String> collect(java.util.stream.Stream<String> ids) {
        return ids.collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
}
