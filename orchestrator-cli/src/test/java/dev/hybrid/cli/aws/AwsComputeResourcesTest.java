package dev.hybrid.cli.aws;

import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.hybrid.cli.aws.QueryApi.ec2Error;
import static dev.hybrid.cli.aws.QueryApi.ec2Ok;
import static dev.hybrid.cli.aws.QueryApi.iamError;
import static dev.hybrid.cli.aws.QueryApi.iamOk;
import static dev.hybrid.cli.aws.QueryApi.urlEncoded;
import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.cli.engine.VirtualClock;
import dev.hybrid.cli.engine.Action;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.StateCache;
import dev.hybrid.cli.engine.Walker;
import dev.hybrid.cli.engine.WalkReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The app-tier role, the web-tier user, the app security group and the launch template against
 * WireMock speaking IAM's and EC2's query protocol to the real SDK: the exact requests, and the errors
 * that must be injected (IAM propagation, {@code DependencyViolation}, a duplicate egress rule). The
 * happy paths (plan, drift repair, key rotation, a second up) run against moto in
 * {@link MotoComputeResourcesTest}.
 */
class AwsComputeResourcesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STACK = "s1";
    private static final String DEPLOYMENT = "d1";
    private static final String ACCOUNT = "123456789012";
    private static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":hybrid-s1-";
    private static final String QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/" + ACCOUNT + "/hybrid-s1-";
    private static final String INPUT = "hybrid-s1-input-" + ACCOUNT + "-us-east-1";
    private static final String OUTPUT = "hybrid-s1-output-" + ACCOUNT + "-us-east-1";
    private static final String NAME_APP = "hybrid-s1-app-d1";
    private static final String NAME_WEB = "hybrid-s1-web-d1";
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/hybrid/s1/" + NAME_APP;
    private static final String PROFILE_ARN = "arn:aws:iam::" + ACCOUNT + ":instance-profile/hybrid/s1/" + NAME_APP;
    private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEYxyz";
    private static final String KEY_ID = "TESTWEBTIERKEY000001";
    private static final String AMI = "ami-0123456789abcdef0";
    private static final String ARTIFACTS = "hybrid-s1-artifacts-" + ACCOUNT + "-us-east-1";
    private static final String EXPECTED_USER_DATA = """
            #!/bin/bash
            # User-data of an app-tier instance: where its queues and buckets are. No credentials: the
            # instance profile grants exactly what the worker needs. The orchestrator fills in the @…@ values.
            set -euo pipefail
            umask 077
            install -d -m 0755 /etc/hybrid
            cat > /etc/hybrid/worker.env <<'ENV'
            HYBRID_REQUEST_QUEUE_URL=https://sqs.us-east-1.amazonaws.com/123456789012/hybrid-s1-request-d1
            HYBRID_RESPONSE_QUEUE_URL=https://sqs.us-east-1.amazonaws.com/123456789012/hybrid-s1-response-d1
            HYBRID_INPUT_BUCKET=hybrid-s1-input-123456789012-us-east-1
            HYBRID_OUTPUT_BUCKET=hybrid-s1-output-123456789012-us-east-1
            HYBRID_VISIBILITY_TIMEOUT_SECONDS=120
            HYBRID_IDLE_EXIT_SECONDS=300
            ENV
            chown hybrid:hybrid /etc/hybrid/worker.env
            systemctl restart hybrid-worker.service
            """;

    @TempDir
    Path stateDir;
    private WireMockAws aws;
    private WireMockServer server;
    private QueryApi api;
    private IamClient iam;
    private Ec2Client ec2;
    private final CallRecorder calls = new CallRecorder();
    private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    private final WebTierKeys keys = new WebTierKeys();
    private Walker walker;

    @BeforeEach
    void start() {
        aws = new WireMockAws(calls);
        server = aws.server;
        api = aws.api;
        iam = aws.iam;
        ec2 = aws.ec2;
        walker = new Walker(4, ProgressListener.NONE);
        stubConverged();
    }

    @AfterEach
    void stop() {
        walker.close();
        aws.close();
    }

    private Backoff recordingBackoff() {
        return new Backoff(5, Duration.ofSeconds(1), Duration.ofSeconds(8), pauses::add);
    }

    private Graph graph(boolean rotateKeys) {
        Backoff backoff = recordingBackoff();
        return Graph.of(List.of(
                new Existing(SqsQueue.keyFor("request"), Map.of(SqsQueue.ARN.name(), QUEUE_ARN + "request-d1", SqsQueue.URL.name(), QUEUE_URL + "request-d1")),
                new Existing(SqsQueue.keyFor("response"), Map.of(SqsQueue.ARN.name(), QUEUE_ARN + "response-d1", SqsQueue.URL.name(), QUEUE_URL + "response-d1")),
                new Existing(S3Bucket.keyFor(AwsStack.INPUT), Map.of(S3Bucket.NAME.name(), INPUT)),
                new Existing(S3Bucket.keyFor(AwsStack.OUTPUT), Map.of(S3Bucket.NAME.name(), OUTPUT)),
                new Existing(S3Bucket.keyFor(AwsStack.ARTIFACTS), Map.of(S3Bucket.NAME.name(), ARTIFACTS)),
                new AppTierRole(iam, backoff),
                new WebTierUser(iam, keys, backoff, rotateKeys),
                new AppSecurityGroup(ec2, null, backoff),
                new AppLaunchTemplate(ec2, new LaunchTemplateSpec(AMI, "t3.medium", AwsStack.DEFAULT_VISIBILITY_TIMEOUT_SECONDS), backoff),
                new AppWorkers(ec2, Set.of(AppLaunchTemplate.KEY, AppSecurityGroup.KEY, AppTierRole.KEY),
                        new Waiter(new VirtualClock(pauses::add), ProgressBars.NONE))));
    }

    private static StackContext context() {
        return new StackContext(STACK, DEPLOYMENT);
    }

    // ---- the stack as it is after a successful up -------------------------------------------------

    private static String tags(String wrapper, String role) {
        return "<" + wrapper + ">" + "<member><Key>hybrid:deployment</Key><Value>d1</Value></member>"
                + "<member><Key>hybrid:role</Key><Value>" + role + "</Value></member>"
                + "<member><Key>hybrid:stack</Key><Value>s1</Value></member></" + wrapper + ">";
    }

    private static String ec2Tags(String role) {
        return "<tagSet><item><key>hybrid:deployment</key><value>d1</value></item><item><key>hybrid:role</key><value>" + role
                + "</value></item><item><key>hybrid:stack</key><value>s1</value></item></tagSet>";
    }

    private static String role(boolean withTags) {
        return "<Path>/hybrid/s1/</Path><RoleName>" + NAME_APP + "</RoleName><RoleId>AROAAPPTIER</RoleId><Arn>" + ROLE_ARN + "</Arn>"
                + "<CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>" + urlEncoded(PolicyDocuments.ec2Trust())
                + "</AssumeRolePolicyDocument>" + (withTags ? tags("Tags", "app-tier") : "");
    }

    private static String profile(boolean withRole) {
        return "<Path>/hybrid/s1/</Path><InstanceProfileName>" + NAME_APP + "</InstanceProfileName><InstanceProfileId>AIPAAPP</InstanceProfileId>"
                + "<Arn>" + PROFILE_ARN + "</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><Roles>"
                + (withRole ? "<member>" + role(false) + "</member>" : "") + "</Roles>";
    }

    private static String user(boolean withTags) {
        return "<Path>/hybrid/s1/</Path><UserName>" + NAME_WEB + "</UserName><UserId>AIDAWEB</UserId><Arn>arn:aws:iam::" + ACCOUNT
                + ":user/hybrid/s1/" + NAME_WEB + "</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>" + (withTags ? tags("Tags", "web-tier") : "");
    }

    private static String appPolicy() {
        return PolicyDocuments.appTier(QUEUE_ARN + "request-d1", QUEUE_ARN + "response-d1", INPUT, OUTPUT, ARTIFACTS);
    }

    private static String webPolicy() {
        return PolicyDocuments.webTier(STACK, QUEUE_ARN + "request-d1", QUEUE_ARN + "response-d1", INPUT, OUTPUT, ROLE_ARN);
    }

    private static String securityGroup(String egress) {
        return "<item><ownerId>" + ACCOUNT + "</ownerId><groupName>" + NAME_APP + "</groupName><groupDescription>app</groupDescription>"
                + "<groupId>sg-0app</groupId><vpcId>vpc-1</vpcId><ipPermissions/><ipPermissionsEgress>" + egress + "</ipPermissionsEgress>"
                + ec2Tags("app-sg") + "</item>";
    }

    private static String rule(String protocol, int from, int to) {
        return "<item><ipProtocol>" + protocol + "</ipProtocol>" + (from < 0 ? "" : "<fromPort>" + from + "</fromPort><toPort>" + to + "</toPort>")
                + "<groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item>";
    }

    private static String launchTemplate() {
        return "<launchTemplate><launchTemplateId>lt-0app</launchTemplateId><launchTemplateName>" + NAME_APP + "</launchTemplateName>"
                + "<createTime>2026-01-01T00:00:00.000Z</createTime><defaultVersionNumber>1</defaultVersionNumber>"
                + "<latestVersionNumber>1</latestVersionNumber>" + ec2Tags("app-template") + "</launchTemplate>";
    }

    private static String templateData() {
        String workerTags = "<tagSet><item><key>hybrid:deployment</key><value>d1</value></item><item><key>hybrid:role</key>"
                + "<value>app-worker</value></item><item><key>hybrid:stack</key><value>s1</value></item></tagSet>";
        return "<launchTemplateVersionSet><item><launchTemplateId>lt-0app</launchTemplateId><launchTemplateName>" + NAME_APP
                + "</launchTemplateName><versionNumber>1</versionNumber><defaultVersion>true</defaultVersion><launchTemplateData>"
                + "<iamInstanceProfile><arn>" + PROFILE_ARN + "</arn></iamInstanceProfile><imageId>" + AMI + "</imageId>"
                + "<instanceType>t3.medium</instanceType><instanceInitiatedShutdownBehavior>terminate</instanceInitiatedShutdownBehavior>"
                + "<metadataOptions><httpTokens>required</httpTokens></metadataOptions>"
                + "<securityGroupIdSet><item>sg-0app</item></securityGroupIdSet>"
                + "<tagSpecificationSet><item><resourceType>instance</resourceType>" + workerTags + "</item>"
                + "<item><resourceType>volume</resourceType>" + workerTags + "</item></tagSpecificationSet>"
                + "<userData>" + Base64.getEncoder().encodeToString(EXPECTED_USER_DATA.getBytes(StandardCharsets.UTF_8)) + "</userData>"
                + "</launchTemplateData></item></launchTemplateVersionSet>";
    }

    /** Every read answers with the converged stack, every write succeeds. */
    private void stubConverged() {
        api.steady("ListRoles", iamOk("ListRoles", "<IsTruncated>false</IsTruncated><Roles><member>" + role(false) + "</member></Roles>"));
        api.steady("GetRole", iamOk("GetRole", "<Role>" + role(true) + "</Role>"));
        api.steady("GetRolePolicy", iamOk("GetRolePolicy", "<RoleName>" + NAME_APP + "</RoleName><PolicyName>hybrid-app-tier</PolicyName>"
                + "<PolicyDocument>" + urlEncoded(appPolicy()) + "</PolicyDocument>"));
        api.steady("ListInstanceProfilesForRole", iamOk("ListInstanceProfilesForRole", "<IsTruncated>false</IsTruncated><InstanceProfiles><member>"
                + profile(true) + "</member></InstanceProfiles>"));
        api.steady("GetInstanceProfile", iamOk("GetInstanceProfile", "<InstanceProfile>" + profile(true) + "</InstanceProfile>"));
        api.steady("ListUsers", iamOk("ListUsers", "<IsTruncated>false</IsTruncated><Users><member>" + user(false) + "</member></Users>"));
        api.steady("GetUser", iamOk("GetUser", "<User>" + user(true) + "</User>"));
        api.steady("GetUserPolicy", iamOk("GetUserPolicy", "<UserName>" + NAME_WEB + "</UserName><PolicyName>hybrid-web-tier</PolicyName>"
                + "<PolicyDocument>" + urlEncoded(webPolicy()) + "</PolicyDocument>"));
        api.steady("ListAccessKeys", iamOk("ListAccessKeys", "<IsTruncated>false</IsTruncated><AccessKeyMetadata><member><UserName>" + NAME_WEB
                + "</UserName><AccessKeyId>" + KEY_ID + "</AccessKeyId><Status>Active</Status><CreateDate>2026-01-01T00:00:00Z</CreateDate>"
                + "</member></AccessKeyMetadata>"));
        for (String write : List.of("CreateRole", "PutRolePolicy", "UpdateAssumeRolePolicy", "AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile",
                "DeleteInstanceProfile", "DeleteRolePolicy", "DeleteRole", "PutUserPolicy", "DeleteAccessKey", "DeleteUserPolicy", "DeleteUser")) {
            api.steady(write, iamOk(write, ""));
        }
        api.steady("CreateInstanceProfile", iamOk("CreateInstanceProfile", "<InstanceProfile>" + profile(false) + "</InstanceProfile>"));
        api.steady("ListRolePolicies", iamOk("ListRolePolicies", "<IsTruncated>false</IsTruncated><PolicyNames><member>hybrid-app-tier</member></PolicyNames>"));
        api.steady("ListAttachedRolePolicies", iamOk("ListAttachedRolePolicies", "<IsTruncated>false</IsTruncated><AttachedPolicies/>"));
        api.steady("ListUserPolicies", iamOk("ListUserPolicies", "<IsTruncated>false</IsTruncated><PolicyNames><member>hybrid-web-tier</member></PolicyNames>"));
        api.steady("ListAttachedUserPolicies", iamOk("ListAttachedUserPolicies", "<IsTruncated>false</IsTruncated><AttachedPolicies/>"));

        api.steady("DescribeSecurityGroups", ec2Ok("DescribeSecurityGroups", "<securityGroupInfo>" + securityGroup(rule("tcp", 443, 443))
                + "</securityGroupInfo>"));
        api.steady("DescribeLaunchTemplates", ec2Ok("DescribeLaunchTemplates", "<launchTemplates>" + launchTemplate().replace("launchTemplate>", "item>")
                + "</launchTemplates>"));
        api.steady("DescribeLaunchTemplateVersions", ec2Ok("DescribeLaunchTemplateVersions", templateData()));
        api.steady("CreateSecurityGroup", ec2Ok("CreateSecurityGroup", "<groupId>sg-0app</groupId><return>true</return>"));
        api.steady("CreateLaunchTemplate", ec2Ok("CreateLaunchTemplate", launchTemplate()));
        for (String write : List.of("RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "DeleteSecurityGroup")) {
            api.steady(write, ec2Ok(write, "<return>true</return>"));
        }
        api.steady("DeleteLaunchTemplate", ec2Ok("DeleteLaunchTemplate", launchTemplate()));
        api.steady("DescribeInstances", ec2Ok("DescribeInstances", "<reservationSet/>"));
        api.steady("TerminateInstances", ec2Ok("TerminateInstances", "<instancesSet/>"));
    }

    /** Nothing exists yet; IAM and EC2 lag as they do right after creation. */
    private void stubFreshStack() {
        api.inState("role", STARTED, null, "ListRoles", iamOk("ListRoles", "<IsTruncated>false</IsTruncated><Roles/>"));
        api.inState("role", STARTED, "created", "CreateRole", iamOk("CreateRole", "<Role>" + role(true) + "</Role>"));
        api.inState("role", "created", null, "GetInstanceProfile", iamOk("GetInstanceProfile", "<InstanceProfile>" + profile(false) + "</InstanceProfile>"));
        // Right after CreateInstanceProfile, IAM may not know the profile yet.
        api.inState("join", STARTED, "visible", "AddRoleToInstanceProfile", iamError(404, "NoSuchEntity",
                "Instance Profile " + NAME_APP + " cannot be found."));

        api.inState("user", STARTED, null, "ListUsers", iamOk("ListUsers", "<IsTruncated>false</IsTruncated><Users/>"));
        api.inState("user", STARTED, "created", "CreateUser", iamOk("CreateUser", "<User>" + user(true) + "</User>"));
        api.inState("user", "created", null, "ListAccessKeys", iamOk("ListAccessKeys", "<IsTruncated>false</IsTruncated><AccessKeyMetadata/>"));
        api.inState("user", "created", "keyed", "CreateAccessKey", iamOk("CreateAccessKey", "<AccessKey><UserName>" + NAME_WEB + "</UserName>"
                + "<AccessKeyId>" + KEY_ID + "</AccessKeyId><Status>Active</Status><SecretAccessKey>" + SECRET + "</SecretAccessKey>"
                + "<CreateDate>2026-01-01T00:00:00Z</CreateDate></AccessKey>"));

        api.inState("sg", STARTED, null, "DescribeSecurityGroups", ec2Ok("DescribeSecurityGroups", "<securityGroupInfo/>"));
        api.inState("sg", STARTED, "created", "CreateSecurityGroup", ec2Ok("CreateSecurityGroup", "<groupId>sg-0app</groupId><return>true</return>"));
        api.inState("sg", "created", null, "DescribeSecurityGroups", ec2Ok("DescribeSecurityGroups", "<securityGroupInfo>"
                + securityGroup(rule("-1", -1, -1)) + "</securityGroupInfo>"));
        // A concurrent up added the rule first: a duplicate is the goal reached.
        api.inState("sg", "created", "configured", "AuthorizeSecurityGroupEgress", ec2Error("InvalidPermission.Duplicate",
                "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW\" already exists"));

        api.inState("lt", STARTED, null, "DescribeLaunchTemplates", ec2Ok("DescribeLaunchTemplates", "<launchTemplates/>"));
        api.inState("lt", STARTED, "propagated", "CreateLaunchTemplate", ec2Error("InvalidParameterValue",
                "Value (" + PROFILE_ARN + ") for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN"));
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void firstUpCreatesEverythingLeastPrivilegeTaggedAndRetriesPropagationErrors() throws Exception {
        stubFreshStack();
        ListAppender<ILoggingEvent> logs = captureLogs();
        WalkReport up = walker.up(graph(false), context());
        assertTrue(up.succeeded(), up.toString());
        assertEquals(Set.of(AppTierRole.KEY, WebTierUser.KEY, AppSecurityGroup.KEY, AppLaunchTemplate.KEY),
                up.changes().stream().filter(c -> c.action() == Action.CREATE).map(c -> c.key()).collect(java.util.stream.Collectors.toSet()));

        // The role: only EC2 may assume it; its policy names exactly the worker's calls on the stack's own queues and buckets.
        Map<String, String> createRole = api.only("CreateRole");
        assertEquals(NAME_APP, createRole.get("RoleName"));
        assertEquals("/hybrid/s1/", createRole.get("Path"));
        assertEquals(json("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                + "\"Action\":\"sts:AssumeRole\"}]}"), json(createRole.get("AssumeRolePolicyDocument")));
        assertIamTags(createRole, "app-tier");
        Map<String, String> rolePolicy = api.only("PutRolePolicy");
        assertEquals(json("""
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"RequestQueue","Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:ChangeMessageVisibility"],
                  "Resource":["arn:aws:sqs:us-east-1:123456789012:hybrid-s1-request-d1"]},
                 {"Sid":"ResponseQueue","Effect":"Allow","Action":["sqs:SendMessage"],"Resource":["arn:aws:sqs:us-east-1:123456789012:hybrid-s1-response-d1"]},
                 {"Sid":"StoreResults","Effect":"Allow","Action":["s3:PutObject"],
                  "Resource":["arn:aws:s3:::hybrid-s1-input-123456789012-us-east-1/*","arn:aws:s3:::hybrid-s1-output-123456789012-us-east-1/*"]},
                 {"Sid":"ReadClaimChecks","Effect":"Allow","Action":["s3:GetObject"],
                  "Resource":["arn:aws:s3:::hybrid-s1-input-123456789012-us-east-1/claim-check/*"]},
                 {"Sid":"FetchImageJars","Effect":"Allow","Action":["s3:GetObject"],
                  "Resource":["arn:aws:s3:::hybrid-s1-artifacts-123456789012-us-east-1/images/app-tier/*",
                              "arn:aws:s3:::hybrid-s1-artifacts-123456789012-us-east-1/images/web-tier/*.jar"]}]}
                """), json(rolePolicy.get("PolicyDocument")));
        assertIamTags(api.only("CreateInstanceProfile"), "app-tier");
        assertEquals(2, api.requests("AddRoleToInstanceProfile").size(), "retried after IAM did not yet know the profile");

        // The user: a narrow policy, its EC2 actions bound to the stack's tag.
        assertIamTags(api.only("CreateUser"), "web-tier");
        JsonNode userPolicy = json(api.only("PutUserPolicy").get("PolicyDocument"));
        assertWebTierPolicyIsNarrow(userPolicy);

        // The secret reached the caller's channel and nothing else: not outputs, not the state cache, not a log line.
        assertEquals(new WebTierCredentials(KEY_ID, SECRET), keys.created().orElseThrow());
        assertFalse(keys.created().get().toString().contains(SECRET));
        assertFalse(up.toString().contains(SECRET));
        assertEquals(KEY_ID, up.outputs().get(WebTierUser.KEY).get(WebTierUser.ACCESS_KEY_ID.name()));
        StateCache cache = new StateCache(stateDir, STACK);
        cache.write(STACK, DEPLOYMENT, up.outputs());
        assertFalse(Files.readString(cache.file()).contains(SECRET));
        assertTrue(Files.readString(cache.file()).contains(KEY_ID), "the cache was written");
        assertTrue(logs.list.stream().noneMatch(event -> event.getFormattedMessage().contains(SECRET)));
        assertFalse(logs.list.isEmpty(), "the retries were logged");

        // The security group: no inbound rule ever; the allow-all egress replaced by HTTPS; the duplicate counted as success.
        Map<String, String> createGroup = api.only("CreateSecurityGroup");
        assertEquals(NAME_APP, createGroup.get("GroupName"));
        assertEc2Tags(createGroup, "TagSpecification.1.", "security-group", "app-sg");
        assertEquals(List.of(), api.requests("AuthorizeSecurityGroupIngress"));
        Map<String, String> revoke = api.only("RevokeSecurityGroupEgress");
        assertEquals("-1", revoke.get("IpPermissions.1.IpProtocol"));
        Map<String, String> authorize = api.only("AuthorizeSecurityGroupEgress");
        assertEquals("tcp", authorize.get("IpPermissions.1.IpProtocol"));
        assertEquals("443", authorize.get("IpPermissions.1.FromPort"));
        assertEquals("0.0.0.0/0", authorize.get("IpPermissions.1.IpRanges.1.CidrIp"));

        // The launch template: retried with the same client token after EC2 did not yet know the profile.
        List<Map<String, String>> creates = api.requests("CreateLaunchTemplate");
        assertEquals(2, creates.size());
        Map<String, String> template = creates.get(1);
        assertEquals(creates.get(0).get("ClientToken"), template.get("ClientToken"));
        assertTrue(template.get("ClientToken").startsWith(NAME_APP + "-"), template.get("ClientToken"));
        assertEquals(NAME_APP, template.get("LaunchTemplateName"));
        assertEquals(AMI, template.get("LaunchTemplateData.ImageId"));
        assertEquals("t3.medium", template.get("LaunchTemplateData.InstanceType"));
        assertEquals("terminate", template.get("LaunchTemplateData.InstanceInitiatedShutdownBehavior"));
        assertEquals(PROFILE_ARN, template.get("LaunchTemplateData.IamInstanceProfile.Arn"));
        assertEquals("sg-0app", template.get("LaunchTemplateData.SecurityGroupId.1"));
        assertEquals("required", template.get("LaunchTemplateData.MetadataOptions.HttpTokens"));
        assertEc2Tags(template, "TagSpecification.1.", "launch-template", "app-template");
        assertEc2Tags(template, "LaunchTemplateData.TagSpecification.1.", "instance", "app-worker");
        assertEc2Tags(template, "LaunchTemplateData.TagSpecification.2.", "volume", "app-worker");
        String userData = new String(Base64.getDecoder().decode(template.get("LaunchTemplateData.UserData")), StandardCharsets.UTF_8);
        assertEquals(EXPECTED_USER_DATA, userData);
        for (String forbidden : List.of(SECRET, KEY_ID, "AKIA", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "aws_secret")) {
            assertFalse(userData.contains(forbidden), "user-data carries no credentials: " + forbidden);
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), pauses, "one backoff pause per propagation error");

        // A second up finds everything as wanted and changes nothing.
        calls.clear();
        keys.forget();
        WalkReport second = walker.up(graph(false), context());
        assertTrue(second.succeeded(), second.toString());
        assertFalse(second.mutates(), second.changes().toString());
        assertEquals(List.of(), calls.mutating());
        assertFalse(calls.all().isEmpty(), "the second up looked");
        assertTrue(keys.created().isEmpty(), "no new key without --rotate-keys");
        assertEquals(up.outputs(), second.outputs());
    }

    private static void assertIamTags(Map<String, String> request, String role) {
        Map<String, String> tags = new java.util.TreeMap<>();
        for (int i = 1; request.containsKey("Tags.member." + i + ".Key"); i++) {
            tags.put(request.get("Tags.member." + i + ".Key"), request.get("Tags.member." + i + ".Value"));
        }
        assertEquals(Map.of("hybrid:stack", STACK, "hybrid:deployment", DEPLOYMENT, "hybrid:role", role), tags);
    }

    private static void assertEc2Tags(Map<String, String> request, String prefix, String resourceType, String role) {
        assertEquals(resourceType, request.get(prefix + "ResourceType"));
        Map<String, String> tags = new java.util.TreeMap<>();
        for (int i = 1; request.containsKey(prefix + "Tag." + i + ".Key"); i++) {
            tags.put(request.get(prefix + "Tag." + i + ".Key"), request.get(prefix + "Tag." + i + ".Value"));
        }
        assertEquals(Map.of("hybrid:stack", STACK, "hybrid:deployment", DEPLOYMENT, "hybrid:role", role), tags);
    }

    private static void assertWebTierPolicyIsNarrow(JsonNode policy) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.get("Statement")) {
            assertEquals("Allow", statement.get("Effect").asText());
            List<String> statementActions = new ArrayList<>();
            statement.get("Action").forEach(a -> statementActions.add(a.asText()));
            actions.addAll(statementActions);
            List<String> resources = new ArrayList<>();
            statement.get("Resource").forEach(r -> resources.add(r.asText()));
            if (statementActions.equals(List.of("ec2:DescribeInstances"))) {
                assertEquals(List.of("*"), resources, "Describe supports no resource-level permission");
                continue;
            }
            for (String resource : resources) {
                assertFalse(resource.equals("*") || resource.endsWith(":*"), statement.get("Sid") + " on " + resource);
                assertTrue(resource.contains(":sqs:us-east-1:123456789012:hybrid-s1-") || resource.contains(":s3:::hybrid-s1-")
                        || resource.startsWith("arn:aws:ec2:us-east-1:123456789012:") || resource.equals(ROLE_ARN), resource);
            }
            boolean mutatesEc2 = statementActions.stream().anyMatch(a -> a.startsWith("ec2:"));
            if (mutatesEc2) {
                JsonNode condition = statement.get("Condition");
                assertNotNull(condition, statement.get("Sid") + " is unconditioned");
            }
        }
        assertEquals(new TreeSet<>(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                "s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:RunInstances", "ec2:CreateTags", "ec2:StartInstances", "ec2:StopInstances",
                "ec2:TerminateInstances", "ec2:DescribeInstances", "iam:PassRole")), actions);
        JsonNode byStatement = JSON.createObjectNode();
        for (JsonNode statement : policy.get("Statement")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) byStatement).set(statement.get("Sid").asText(), statement);
        }
        assertEquals("s1", byStatement.at("/StackInstances/Condition/StringEquals/aws:ResourceTag~1hybrid:stack").asText());
        assertEquals(List.of("ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances"),
                JSON.convertValue(byStatement.at("/StackInstances/Action"), List.class));
        assertEquals("s1", byStatement.at("/RunFromStackTemplate/Condition/StringEquals/aws:ResourceTag~1hybrid:stack").asText());
        assertEquals("s1", byStatement.at("/RunTaggedInstances/Condition/StringEquals/aws:RequestTag~1hybrid:stack").asText());
        assertEquals("true", byStatement.at("/RunWithTemplateParts/Condition/Bool/ec2:IsLaunchTemplateResource").asText());
        assertEquals("RunInstances", byStatement.at("/TagOnLaunch/Condition/StringEquals/ec2:CreateAction").asText());
        assertEquals("ec2.amazonaws.com", byStatement.at("/PassAppTierRole/Condition/StringEquals/iam:PassedToService").asText());
        assertEquals("[\"arn:aws:s3:::hybrid-s1-output-123456789012-us-east-1/cache/*\"]", byStatement.at("/ResultCache/Resource").toString());
        assertEquals("[\"arn:aws:s3:::hybrid-s1-input-123456789012-us-east-1/claim-check/*\"]", byStatement.at("/ClaimChecks/Resource").toString());
        // The cache listing and the health check's HeadBucket: the output bucket itself, listed only under cache/.
        assertEquals("[\"arn:aws:s3:::hybrid-s1-output-123456789012-us-east-1\"]", byStatement.at("/ListResultCache/Resource").toString());
        assertEquals("cache/*", byStatement.at("/ListResultCache/Condition/StringLikeIfExists/s3:prefix").asText());
    }

    private static ListAppender<ILoggingEvent> captureLogs() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        ((Logger) LoggerFactory.getLogger("dev.hybrid")).setLevel(Level.DEBUG);
        return appender;
    }

    private static String instances(String... idAndState) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < idAndState.length; i += 2) {
            items.append("<item><instanceId>").append(idAndState[i]).append("</instanceId><instanceState><code>0</code><name>")
                    .append(idAndState[i + 1]).append("</name></instanceState></item>");
        }
        return "<reservationSet><item><reservationId>r-1</reservationId><ownerId>" + ACCOUNT + "</ownerId><instancesSet>" + items
                + "</instancesSet></item></reservationSet>";
    }

    @Test
    void teardownEndsTheWorkersFirstRetriesDependencyViolationAndDeletesEveryPart() {
        api.inState("sg-delete", STARTED, "released", "DeleteSecurityGroup", ec2Error("DependencyViolation",
                "resource sg-0app has a dependent object"));
        api.inState("workers", STARTED, null, "DescribeInstances", ec2Ok("DescribeInstances", instances("i-1", "running", "i-2", "shutting-down")));
        api.inState("workers", STARTED, "terminating", "TerminateInstances", ec2Ok("TerminateInstances", "<instancesSet/>"));
        api.inState("workers", "terminating", "gone", "DescribeInstances", ec2Ok("DescribeInstances", instances("i-1", "shutting-down")));
        WalkReport teardown = walker.teardown(graph(false), context());
        assertTrue(teardown.succeeded(), teardown.toString());
        assertEquals(List.of(), teardown.leftovers());
        assertEquals(2, api.requests("DeleteSecurityGroup").size());
        assertEquals("sg-0app", api.requests("DeleteSecurityGroup").get(1).get("GroupId"));
        assertEquals(List.of(AppWorkers.TERMINATION_FIRST_POLL, Duration.ofSeconds(1)), pauses, "one wait for the workers, one for the group");
        Map<String, String> terminate = api.only("TerminateInstances");
        assertEquals("i-1", terminate.get("InstanceId.1"));
        assertNull(terminate.get("InstanceId.2"), "the one shutting down is left to finish");
        assertEquals("lt-0app", api.only("DeleteLaunchTemplate").get("LaunchTemplateId"));
        assertEquals(KEY_ID, api.only("DeleteAccessKey").get("AccessKeyId"));
        assertEquals("hybrid-web-tier", api.only("DeleteUserPolicy").get("PolicyName"));
        assertEquals(NAME_WEB, api.only("DeleteUser").get("UserName"));
        assertEquals(NAME_APP, api.only("RemoveRoleFromInstanceProfile").get("InstanceProfileName"));
        assertEquals(NAME_APP, api.only("DeleteInstanceProfile").get("InstanceProfileName"));
        assertEquals("hybrid-app-tier", api.only("DeleteRolePolicy").get("PolicyName"));
        assertEquals(NAME_APP, api.only("DeleteRole").get("RoleName"));

        List<String> order = api.actions();
        assertTrue(order.indexOf("TerminateInstances") < order.indexOf("DeleteLaunchTemplate"), order.toString());
        assertTrue(order.lastIndexOf("DescribeInstances") < order.indexOf("DeleteSecurityGroup"), "the workers were gone first: " + order);
        assertTrue(order.indexOf("DeleteLaunchTemplate") < order.indexOf("DeleteSecurityGroup"), order.toString());
        assertTrue(order.indexOf("DeleteLaunchTemplate") < order.indexOf("DeleteRole"), order.toString());
        assertTrue(order.indexOf("DeleteUser") < order.indexOf("DeleteRole"), "the user's policy names the role: " + order);
        assertTrue(order.indexOf("DeleteAccessKey") < order.indexOf("DeleteUser"), order.toString());
        assertTrue(order.indexOf("RemoveRoleFromInstanceProfile") < order.indexOf("DeleteRole"), order.toString());
    }

    @Test
    void driftedSecurityGroupLosesItsInboundRulesAndADuplicateEgressRuleIsSuccess() {
        String open = "<item><ownerId>" + ACCOUNT + "</ownerId><groupName>" + NAME_APP + "</groupName><groupDescription>app</groupDescription>"
                + "<groupId>sg-0app</groupId><vpcId>vpc-1</vpcId><ipPermissions>" + rule("tcp", 22, 22) + "</ipPermissions>"
                + "<ipPermissionsEgress>" + rule("tcp", 443, 443) + rule("-1", -1, -1) + "</ipPermissionsEgress>" + ec2Tags("app-sg") + "</item>";
        api.inState("drift", STARTED, null, "DescribeSecurityGroups", ec2Ok("DescribeSecurityGroups", "<securityGroupInfo>" + open + "</securityGroupInfo>"));
        api.inState("drift", STARTED, "repaired", "RevokeSecurityGroupEgress", ec2Ok("RevokeSecurityGroupEgress", "<return>true</return>"));
        Graph graph = Graph.of(List.of(new AppSecurityGroup(ec2, null, recordingBackoff())));
        WalkReport plan = walker.plan(graph, context());
        assertEquals(Action.UPDATE, plan.changes().get(0).action());
        assertTrue(plan.changes().get(0).reason().contains("inbound rules tcp 22-22 0.0.0.0/0"), plan.changes().get(0).reason());
        assertEquals(List.of(), calls.mutating(), "plan changes nothing");

        WalkReport up = walker.up(graph, context());
        assertTrue(up.succeeded(), up.toString());
        assertEquals("22", api.only("RevokeSecurityGroupIngress").get("IpPermissions.1.FromPort"));
        assertEquals("-1", api.only("RevokeSecurityGroupEgress").get("IpPermissions.1.IpProtocol"));
        assertEquals(List.of(), api.requests("AuthorizeSecurityGroupEgress"), "the HTTPS rule was already there");
    }
}
