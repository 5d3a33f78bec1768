package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Address;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.OutputKey;
import dev.hybrid.cli.engine.OutputValues;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import dev.hybrid.contract.Roles;
import dev.hybrid.contract.TagKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * The app-tier workers' security group. Nothing connects to a worker, so it has no inbound rule;
 * a worker only calls SQS and S3 over HTTPS, so the default allow-all outbound rule is replaced by
 * tcp/443. (DNS, the instance metadata service and time sync are link-local and need no rule.)
 */
public final class AppSecurityGroup implements Resource {
    public static final String KEY = "ec2:app-sg";
    public static final String ROLE = Roles.APP_SECURITY_GROUP;
    public static final Address<AppSecurityGroup> ADDRESS = Address.of(AppSecurityGroup.class, KEY);
    public static final OutputKey<AppSecurityGroup, String> GROUP_ID = OutputKey.text(AppSecurityGroup.class, "groupId");
    public static final OutputKey<AppSecurityGroup, String> GROUP_NAME = OutputKey.text(AppSecurityGroup.class, "groupName");
    static final String INGRESS = "ingress";
    static final String EGRESS = "egress";
    static final IpPermission HTTPS_OUT = IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
            .ipRanges(r -> r.cidrIp("0.0.0.0/0").description("SQS and S3 over HTTPS")).build();

    private final Ec2Client ec2;
    private final String vpcId;
    private final Backoff dependencies;

    /** @param vpcId null for the region's default VPC */
    public AppSecurityGroup(Ec2Client ec2, String vpcId, Backoff dependencies) {
        this.ec2 = ec2;
        this.vpcId = vpcId;
        this.dependencies = dependencies;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "ec2-security-group";
    }

    static String nameFor(StackContext context) {
        return "hybrid-" + context.stack() + "-app-" + context.deploymentId();
    }

    @Override
    public List<Observed> discover(StackContext context) {
        return ec2.describeSecurityGroupsPaginator(b -> b.filters(Ec2Tags.filters(context, ROLE))).securityGroups().stream()
                .filter(group -> Tags.belongsTo(Ec2Tags.asMap(group.tags()), context.stack(), ROLE))
                .map(AppSecurityGroup::observe).toList();
    }

    private static Observed observe(SecurityGroup group) {
        return new Observed(group.groupId(), Ec2Tags.asMap(group.tags()).get(TagKeys.DEPLOYMENT),
                Map.of(INGRESS, canonical(group.ipPermissions()), EGRESS, canonical(group.ipPermissionsEgress())),
                OutputValues.of(GROUP_ID, group.groupId()).and(GROUP_NAME, group.groupName()).toMap());
    }

    /** Rules as sorted one-line strings, e.g. {@code tcp 443-443 0.0.0.0/0}, ignoring descriptions. */
    static String canonical(List<IpPermission> permissions) {
        return permissions.stream().flatMap(p -> {
            String ports = p.ipProtocol() + " " + p.fromPort() + "-" + p.toPort() + " ";
            return Stream.of(p.ipRanges().stream().map(r -> ports + r.cidrIp()),
                    p.ipv6Ranges().stream().map(r -> ports + r.cidrIpv6()),
                    p.prefixListIds().stream().map(r -> ports + r.prefixListId()),
                    p.userIdGroupPairs().stream().map(r -> ports + r.groupId())).flatMap(s -> s);
        }).sorted().reduce((a, b) -> a + ", " + b).orElse("");
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        List<String> drift = new ArrayList<>();
        if (!observed.attributes().get(INGRESS).isEmpty()) {
            drift.add("inbound rules " + observed.attributes().get(INGRESS));
        }
        String wanted = canonical(List.of(HTTPS_OUT));
        if (!wanted.equals(observed.attributes().get(EGRESS))) {
            drift.add("outbound rules " + observed.attributes().get(EGRESS) + " -> " + wanted);
        }
        return drift.isEmpty() ? Diff.keep() : Diff.update(String.join("; ", drift));
    }

    @Override
    public Observed create(StackContext context) {
        String name = nameFor(context);
        String groupId;
        try {
            groupId = ec2.createSecurityGroup(b -> b.groupName(name).vpcId(vpcId)
                    .description("hybrid stack " + context.stack() + ": app-tier workers, no inbound")
                    .tagSpecifications(Ec2Tags.on(ResourceType.SECURITY_GROUP, context, ROLE))).groupId();
        } catch (Ec2Exception e) {
            if (AwsErrors.is(e, "VPCIdNotSpecified")) {
                throw new IllegalStateException("the region has no default VPC; name one for the app tier's security group");
            }
            if (!AwsErrors.is(e, "InvalidGroup.Duplicate")) {
                throw e;
            }
            groupId = byName(name); // an interrupted earlier up made it
        }
        return converge(groupId);
    }

    private String byName(String name) {
        return ec2.describeSecurityGroups(b -> b.filters(Filter.builder().name("group-name").values(name).build()))
                .securityGroups().stream().findFirst().map(SecurityGroup::groupId)
                .orElseThrow(() -> new IllegalStateException("security group " + name + " exists but cannot be found"));
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        return converge(observed.physicalId());
    }

    private SecurityGroup describe(String groupId) {
        return ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0);
    }

    private Observed converge(String groupId) {
        SecurityGroup group = describe(groupId);
        if (!group.ipPermissions().isEmpty()) {
            ignoring("InvalidPermission.NotFound", () -> ec2.revokeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(group.ipPermissions())));
        }
        String wanted = canonical(List.of(HTTPS_OUT));
        List<IpPermission> surplus = group.ipPermissionsEgress().stream().filter(p -> !canonical(List.of(p)).equals(wanted)).toList();
        if (!surplus.isEmpty()) {
            ignoring("InvalidPermission.NotFound", () -> ec2.revokeSecurityGroupEgress(b -> b.groupId(groupId).ipPermissions(surplus)));
        }
        if (group.ipPermissionsEgress().stream().noneMatch(p -> canonical(List.of(p)).equals(wanted))) {
            // A rule that is already there, e.g. added by a concurrent or interrupted up, is the goal.
            ignoring("InvalidPermission.Duplicate", () -> ec2.authorizeSecurityGroupEgress(b -> b.groupId(groupId).ipPermissions(HTTPS_OUT)));
        }
        return observe(describe(groupId));
    }

    private static void ignoring(String code, Runnable call) {
        try {
            call.run();
        } catch (Ec2Exception e) {
            if (!AwsErrors.is(e, code)) {
                throw e;
            }
        }
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        try {
            // Terminating workers hold the group until they are gone.
            dependencies.run("deleting security group " + observed.physicalId(), e -> AwsErrors.is(e, "DependencyViolation"),
                    () -> ec2.deleteSecurityGroup(b -> b.groupId(observed.physicalId())));
        } catch (Ec2Exception e) {
            if (!AwsErrors.is(e, "InvalidGroup.NotFound")) {
                throw e;
            }
        }
    }
}
