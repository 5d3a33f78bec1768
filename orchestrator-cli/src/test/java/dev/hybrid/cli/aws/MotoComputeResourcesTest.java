package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.engine.Action;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.VirtualClock;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.engine.Walker;
import dev.hybrid.localaws.MotoServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * The IAM and EC2 resources of the stack (role and instance profile, web-tier user and key, the
 * workers' security group, launch template and fleet) walked against moto, which keeps what they
 * made: the happy paths, read back from moto rather than from canned answers. The exact requests and
 * the errors that must be injected (IAM propagation, {@code DependencyViolation}, a duplicate egress
 * rule) stay in {@link AwsComputeResourcesTest} on WireMock.
 */
class MotoComputeResourcesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STACK = "mres";
    private static final StackContext CONTEXT = new StackContext(STACK, "d1");
    private static final String APP = "hybrid-mres-app-d1";
    private static final String WEB = "hybrid-mres-web-d1";
    private static final String QUEUE_ARN = "arn:aws:sqs:" + MotoServer.REGION + ":" + MotoServer.ACCOUNT_ID + ":hybrid-mres-";
    private static final String QUEUE_URL = "http://sqs.example/" + MotoServer.ACCOUNT_ID + "/hybrid-mres-";
    private static final String INPUT = BucketNames.of(STACK, AwsStack.INPUT, MotoServer.ACCOUNT_ID, MotoServer.REGION);
    private static final String OUTPUT = BucketNames.of(STACK, AwsStack.OUTPUT, MotoServer.ACCOUNT_ID, MotoServer.REGION);
    private static final String ARTIFACTS = BucketNames.of(STACK, AwsStack.ARTIFACTS, MotoServer.ACCOUNT_ID, MotoServer.REGION);

    private MotoServer moto;
    private MotoClients aws;
    private final CallRecorder calls = new CallRecorder();
    private final WebTierKeys keys = new WebTierKeys();
    private Walker walker;
    private String ami;

    @BeforeEach
    void start() {
        moto = MotoServer.shared();
        moto.reset();
        aws = new MotoClients(moto.endpoint(), calls);
        walker = new Walker(4, ProgressListener.NONE);
        ami = aws.ec2.describeImages(b -> b.owners("amazon")).images().get(0).imageId();
    }

    @AfterEach
    void stop() {
        walker.close();
        aws.close();
    }

    private Graph graph(boolean rotateKeys) {
        Backoff backoff = new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(1), pause -> { });
        return Graph.of(List.of(
                new Existing(SqsQueue.keyFor("request"), Map.of(SqsQueue.ARN.name(), QUEUE_ARN + "request-d1", SqsQueue.URL.name(), QUEUE_URL + "request-d1")),
                new Existing(SqsQueue.keyFor("response"), Map.of(SqsQueue.ARN.name(), QUEUE_ARN + "response-d1", SqsQueue.URL.name(), QUEUE_URL + "response-d1")),
                new Existing(S3Bucket.keyFor(AwsStack.INPUT), Map.of(S3Bucket.NAME.name(), INPUT)),
                new Existing(S3Bucket.keyFor(AwsStack.OUTPUT), Map.of(S3Bucket.NAME.name(), OUTPUT)),
                new Existing(S3Bucket.keyFor(AwsStack.ARTIFACTS), Map.of(S3Bucket.NAME.name(), ARTIFACTS)),
                new AppTierRole(aws.iam, backoff),
                new WebTierUser(aws.iam, keys, backoff, rotateKeys),
                new AppSecurityGroup(aws.ec2, null, backoff),
                new AppLaunchTemplate(aws.ec2, new LaunchTemplateSpec(ami, "t3.medium", AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS), backoff),
                new AppWorkers(aws.ec2, Set.of(AppLaunchTemplate.KEY, AppSecurityGroup.KEY, AppTierRole.KEY),
                        new Waiter(new VirtualClock(pause -> { }), ProgressBars.NONE))));
    }

    private WalkReport up(boolean rotateKeys) {
        WalkReport up = walker.up(graph(rotateKeys), CONTEXT);
        assertTrue(up.succeeded(), up::toString);
        return up;
    }

    private static Map<String, Action> actions(WalkReport report) {
        return report.changes().stream().filter(c -> !c.kind().equals("existing")).collect(Collectors.toMap(c -> c.key(), c -> c.action()));
    }

    @Test
    void planOnAFreshStackCreatesAndChangesNothing() {
        WalkReport plan = walker.plan(graph(false), CONTEXT);
        assertTrue(plan.succeeded(), plan::toString);
        assertEquals(Map.of(AppTierRole.KEY, Action.CREATE, WebTierUser.KEY, Action.CREATE, AppSecurityGroup.KEY, Action.CREATE,
                AppLaunchTemplate.KEY, Action.CREATE, AppWorkers.KEY, Action.KEEP), actions(plan));
        assertEquals(List.of(), calls.mutating());
        assertTrue(keys.created().isEmpty());
    }

    @Test
    void upMakesEachPartAsGeneratedASecondUpKeepsAllAndTeardownRemovesThem() throws Exception {
        WalkReport first = up(false);
        assertEquals(Set.of(AppTierRole.KEY, WebTierUser.KEY, AppSecurityGroup.KEY, AppLaunchTemplate.KEY),
                first.changes().stream().filter(c -> c.action() == Action.CREATE).map(c -> c.key()).collect(Collectors.toSet()));

        // The role: only EC2 may assume it; its inline policy is the generated one; the profile holds it.
        var role = aws.iam.getRole(b -> b.roleName(APP)).role();
        assertEquals("/hybrid/mres/", role.path());
        assertEquals(json(PolicyDocuments.ec2Trust()), json(role.assumeRolePolicyDocument()));
        assertEquals(Map.of("hybrid:stack", STACK, "hybrid:deployment", "d1", "hybrid:role", "app-tier"),
                role.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())));
        assertEquals(json(PolicyDocuments.appTier(QUEUE_ARN + "request-d1", QUEUE_ARN + "response-d1", INPUT, OUTPUT, ARTIFACTS)),
                json(aws.iam.getRolePolicy(b -> b.roleName(APP).policyName("hybrid-app-tier")).policyDocument()));
        assertEquals(List.of(APP), aws.iam.getInstanceProfile(b -> b.instanceProfileName(APP)).instanceProfile().roles().stream()
                .map(r -> r.roleName()).toList());

        // The user: its policy is the generated one, with the role's ARN; one key, handed over once.
        assertEquals(json(PolicyDocuments.webTier(STACK, QUEUE_ARN + "request-d1", QUEUE_ARN + "response-d1", INPUT, OUTPUT, role.arn())),
                json(aws.iam.getUserPolicy(b -> b.userName(WEB).policyName("hybrid-web-tier")).policyDocument()));
        List<String> keyIds = aws.iam.listAccessKeys(b -> b.userName(WEB)).accessKeyMetadata().stream().map(AccessKeyMetadata::accessKeyId).toList();
        assertEquals(List.of(keys.created().orElseThrow().accessKeyId()), keyIds);
        assertFalse(first.toString().contains(keys.created().get().secretAccessKey()), "the secret is not in the report");

        // The security group: nothing in, tcp/443 out.
        SecurityGroup group = aws.ec2.describeSecurityGroups(b -> b.groupNames(APP)).securityGroups().get(0);
        assertEquals(List.of(), group.ipPermissions());
        assertEquals(List.of("tcp 443-443"), rules(group.ipPermissionsEgress()));

        // The launch template: the image, terminate on shutdown, IMDSv2, user-data naming the stack's queues.
        LaunchTemplateVersion template = aws.ec2.describeLaunchTemplateVersions(b -> b.launchTemplateName(APP).versions("$Default"))
                .launchTemplateVersions().get(0);
        var data = template.launchTemplateData();
        assertEquals(ami, data.imageId());
        assertEquals("t3.medium", data.instanceTypeAsString());
        assertEquals("terminate", data.instanceInitiatedShutdownBehaviorAsString());
        assertEquals("required", data.metadataOptions().httpTokensAsString());
        String userData = new String(Base64.getDecoder().decode(data.userData()), StandardCharsets.UTF_8);
        assertTrue(userData.contains("HYBRID_REQUEST_QUEUE_URL=" + QUEUE_URL + "request-d1\n"), userData);
        assertTrue(userData.contains("HYBRID_INPUT_BUCKET=" + INPUT + "\n"), userData);
        assertFalse(userData.contains("AWS_SECRET"), "no credentials in user-data");

        calls.clear();
        WalkReport second = up(false);
        assertTrue(actions(second).values().stream().allMatch(Action.KEEP::equals), () -> "all keep: " + actions(second));
        assertEquals(List.of(), calls.mutating(), "a second up makes no mutating call");

        WalkReport teardown = walker.teardown(graph(false), CONTEXT);
        assertTrue(teardown.succeeded(), teardown::toString);
        assertEquals(List.of(), teardown.leftovers());
        assertEquals(List.of(), aws.iam.listRoles(b -> b.pathPrefix("/hybrid/")).roles());
        assertEquals(List.of(), aws.iam.listUsers(b -> b.pathPrefix("/hybrid/")).users());
        assertEquals(List.of(), aws.iam.listInstanceProfiles(b -> b.pathPrefix("/hybrid/")).instanceProfiles());
        assertEquals(List.of(), aws.ec2.describeLaunchTemplates().launchTemplates());
        assertEquals(List.of(), aws.ec2.describeSecurityGroups().securityGroups().stream().filter(g -> g.groupName().equals(APP)).toList());
    }

    @Test
    void aWidenedRolePolicyIsDriftThatUpNarrowsAgain() throws Exception {
        up(false);
        String widened = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}";
        aws.iam.putRolePolicy(b -> b.roleName(APP).policyName("hybrid-app-tier").policyDocument(widened));
        calls.clear();
        WalkReport plan = walker.plan(graph(false), CONTEXT);
        assertEquals("inline policy differs", plan.changes().stream().filter(c -> c.key().equals(AppTierRole.KEY)).findFirst().orElseThrow().reason());
        assertEquals(List.of(), calls.mutating());

        up(false);
        assertEquals(List.of("PutRolePolicy"), calls.mutating(), "only the policy is repaired");
        assertEquals(json(PolicyDocuments.appTier(QUEUE_ARN + "request-d1", QUEUE_ARN + "response-d1", INPUT, OUTPUT, ARTIFACTS)),
                json(aws.iam.getRolePolicy(b -> b.roleName(APP).policyName("hybrid-app-tier")).policyDocument()));
    }

    @Test
    void rotateKeysCreatesANewKeyThenDeletesTheOldOne() {
        up(false);
        String old = keys.created().orElseThrow().accessKeyId();
        keys.forget();
        calls.clear();
        up(true);
        assertEquals(List.of("CreateAccessKey", "DeleteAccessKey"), calls.mutating());
        String fresh = keys.created().orElseThrow().accessKeyId();
        assertFalse(fresh.equals(old));
        assertEquals(List.of(fresh), aws.iam.listAccessKeys(b -> b.userName(WEB)).accessKeyMetadata().stream()
                .map(AccessKeyMetadata::accessKeyId).toList(), "only the new key is left");
    }

    @Test
    void anInboundRuleAddedByHandIsRemovedByUp() {
        up(false);
        String groupId = aws.ec2.describeSecurityGroups(b -> b.groupNames(APP)).securityGroups().get(0).groupId();
        aws.ec2.authorizeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(p -> p.ipProtocol("tcp").fromPort(22).toPort(22)
                .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        calls.clear();
        up(false);
        assertTrue(calls.mutating().contains("RevokeSecurityGroupIngress"), calls.mutating()::toString);
        SecurityGroup group = aws.ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0);
        assertEquals(List.of(), group.ipPermissions(), "nothing may come in");
        assertEquals(List.of("tcp 443-443"), rules(group.ipPermissionsEgress()));
    }

    private static List<String> rules(List<IpPermission> permissions) {
        return permissions.stream().map(p -> p.ipProtocol() + " " + p.fromPort() + "-" + p.toPort()).toList();
    }

    private static JsonNode json(String document) throws Exception {
        String text = document.trim().startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
        return JSON.readTree(text);
    }
}
