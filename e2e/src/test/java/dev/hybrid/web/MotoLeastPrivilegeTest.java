package dev.hybrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.cli.aws.GeneratedPolicies;
import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.Roles;
import dev.hybrid.contract.S3Layout;
import dev.hybrid.localaws.MotoServer;
import dev.hybrid.web.scaling.Ec2ComputeProvider;
import dev.hybrid.web.scaling.Ec2ProviderSettings;
import dev.hybrid.web.scaling.SqsBacklogSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Least privilege, with the policies the orchestrator generates, against moto with IAM enforced:
 * the web tier's and the worker's calls, made with the credentials of an IAM user (the web tier) and
 * an assumed role (the worker) bound by those policies and nothing else.
 *
 * <p>What moto 5.1 (Debian's {@code python3-moto}) can check, read in its source:
 * <ul>
 *   <li>S3, with resources: {@code moto/core/responses.py} {@code _authenticate_and_authorize_s3_action}
 *       checks {@code arn:aws:s3:::bucket[/key]}, so bucket and prefix scoping is really checked here;</li>
 *   <li>SQS and EC2, without: {@code call_action} checks {@code _determine_resource()} where a service
 *       defines it, and only STS does; every SQS and EC2 call is checked against the resource {@code *}
 *       (and {@code moto/iam/access_control.py} ignores {@code Condition}, its header says so). A policy
 *       scoped to the stack's queue ARNs or tagged instances therefore denies even the calls it allows.
 *       Those scopings are checked structurally instead ({@link #thePoliciesNameOnlyThisStacksResources}),
 *       and {@link #motoChecksQueuesAndInstancesOnlyAgainstTheResourceStar} fails the day moto starts to
 *       resolve them, so that the calls can move to the checked list;</li>
 *   <li>{@code HeadBucket} is authorized by moto as {@code s3:HeadBucket} ({@code ACTION_MAP} in
 *       {@code moto/s3/responses.py}), an action AWS does not have: AWS asks {@code s3:ListBucket}. The
 *       web tier's health check is therefore not run here; its {@code s3:ListBucket} is proven by the
 *       result cache's listing, which moto authorizes as {@code s3:ListBucket} on the bucket.</li>
 * </ul>
 */
class MotoLeastPrivilegeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STACK = "lp";
    private static final String OTHER = "lpother";
    private static final String SHA = "a".repeat(64);
    private static final String NOT_STORED = "b".repeat(64);

    private MotoServer moto;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private SqsClient adminSqs;
    private S3Client adminS3;
    private IamClient adminIam;
    private Ec2Client adminEc2;

    /** The queues and buckets of one stack, as the walk names them. */
    private record Stack(String name, String requestUrl, String requestArn, String responseUrl, String responseArn, String input,
                         String output, String artifacts) {
    }

    /** The stack's generated policies, bound to an IAM user (web tier) and a role the worker assumes. */
    private record Bound(Stack mine, Stack other, String webPolicy, String appPolicy, String roleArn, AwsCredentialsProvider web,
                         AwsCredentialsProvider worker) {
    }

    @BeforeEach
    void start() {
        moto = MotoServer.shared();
        moto.reset();
        AwsCredentialsProvider admin = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID,
                MotoServer.SECRET_ACCESS_KEY));
        adminSqs = sqs(admin);
        adminS3 = s3(admin);
        adminEc2 = ec2(admin);
        adminIam = keep(IamClient.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL).credentialsProvider(admin).build());
    }

    @AfterEach
    void stop() throws Exception {
        moto.reset(); // also ends the enforcement
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    @Test
    void theTiersCallsPassAndCallsOutsideTheirPoliciesAreDenied() {
        Bound bound = bind();
        Stack mine = bound.mine();
        Stack other = bound.other();
        byte[] claimed = {1, 2, 3};
        adminS3.putObject(b -> b.bucket(mine.input()).key(S3Layout.claimCheckKey("r1")), RequestBody.fromBytes(claimed));
        adminS3.putObject(b -> b.bucket(mine.artifacts()).key(GeneratedPolicies.APP_JAR_PREFIX + "0f.jar"), RequestBody.fromString("jar"));
        adminS3.putObject(b -> b.bucket(other.input()).key(S3Layout.claimCheckKey("r9")), RequestBody.fromBytes(claimed));
        adminS3.putObject(b -> b.bucket(other.output()).key(S3Layout.cacheKey(SHA)), RequestBody.fromString("{}"));
        moto.enforceIam();

        // The web tier, through its own classes where they are the callers.
        S3Client webS3 = s3(bound.web());
        ResultCache cache = new ResultCache(webS3, mine.output(), 10);
        cache.indexDurableCopies(); // ListObjectsV2, prefix cache/: s3:ListBucket on the output bucket
        assertFalse(cache.mayHoldDurably(NOT_STORED), "the result cache's listing of cache/ was allowed and completed");
        ClassifyResponse result = new ClassifyResponse("r1", "cat.jpg", SHA, "tabby", List.of(), "m1", "w1", null, null, null);
        cache.store(SHA, result); // PutObject cache/<sha256>; logs and goes on when denied, so read it back
        assertEquals("tabby", new ResultCache(webS3, mine.output(), 10).durable(SHA).map(ClassifyResponse::label).orElse("none"),
                "the result cache's PutObject and GetObject under cache/ were allowed");
        // RequestBroker.message: an image too big for a message goes to the input bucket as a claim check.
        webS3.putObject(b -> b.bucket(mine.input()).key(S3Layout.claimCheckKey("r2")), RequestBody.fromBytes(claimed));
        Ec2ComputeProvider fleet = new Ec2ComputeProvider(ec2(bound.web()), new Ec2ProviderSettings(STACK, "lt-none",
                Ec2ProviderSettings.DEFAULT_MAX_INSTANCES, 0, Duration.ZERO));
        assertEquals(0, fleet.counts().running(), "the autoscaler's DescribeInstances is allowed (resource *)");

        denied("the web tier deleting its output bucket", () -> webS3.deleteBucket(b -> b.bucket(mine.output())));
        denied("the web tier reading a claim check (only workers read them)",
                () -> webS3.getObject(b -> b.bucket(mine.input()).key(S3Layout.claimCheckKey("r1"))));
        denied("the web tier writing outside cache/ in the output bucket",
                () -> webS3.putObject(b -> b.bucket(mine.output()).key(S3Layout.outputKey("r1", "cat.jpg")), RequestBody.fromString("x")));
        denied("the web tier reading another stack's result cache",
                () -> webS3.getObject(b -> b.bucket(other.output()).key(S3Layout.cacheKey(SHA))));
        denied("the web tier listing another stack's output bucket", () -> webS3.listObjectsV2(b -> b.bucket(other.output())));

        // The worker (BatchProcessor): claim checks in, images and labels out; the builder fetches the jar.
        S3Client workerS3 = s3(bound.worker());
        assertEquals(3, workerS3.getObjectAsBytes(b -> b.bucket(mine.input()).key(S3Layout.claimCheckKey("r1"))).asByteArray().length);
        workerS3.putObject(b -> b.bucket(mine.input()).key(S3Layout.inputKey("r1", "cat.jpg")), RequestBody.fromBytes(claimed));
        workerS3.putObject(b -> b.bucket(mine.output()).key(S3Layout.outputKey("r1", "cat.jpg")), RequestBody.fromString("tabby"));
        workerS3.getObjectAsBytes(b -> b.bucket(mine.artifacts()).key(GeneratedPolicies.APP_JAR_PREFIX + "0f.jar"));

        denied("a worker reading another stack's claim check",
                () -> workerS3.getObject(b -> b.bucket(other.input()).key(S3Layout.claimCheckKey("r9"))));
        denied("a worker reading the web tier's result cache", () -> workerS3.getObject(b -> b.bucket(mine.output()).key(S3Layout.cacheKey(SHA))));
        denied("a worker deleting a bucket", () -> workerS3.deleteBucket(b -> b.bucket(mine.input())));
        denied("a worker listing the input bucket", () -> workerS3.listObjectsV2(b -> b.bucket(mine.input())));
        // Denied, but moto would deny any SQS call of these policies (see the class comment): this shows only that
        // no statement grants DeleteQueue on every queue.
        SqsClient workerSqs = sqs(bound.worker());
        denied("a worker deleting its request queue", () -> workerSqs.deleteQueue(b -> b.queueUrl(mine.requestUrl())));
    }

    /**
     * The scoping moto cannot check (queues, instances, PassRole): every resource the generated policies
     * name belongs to this stack, and "*" stands only where AWS knows no resource (DescribeInstances).
     */
    @Test
    void thePoliciesNameOnlyThisStacksResources() throws Exception {
        Bound bound = bind();
        Stack mine = bound.mine();
        List<String> ours = List.of(mine.requestArn(), mine.responseArn(), "arn:aws:s3:::" + mine.input(), "arn:aws:s3:::" + mine.output(),
                "arn:aws:s3:::" + mine.artifacts(), bound.roleArn());
        String ec2Arn = "arn:aws:ec2:" + MotoServer.REGION + ":" + MotoServer.ACCOUNT_ID + ":";
        for (String policy : List.of(bound.webPolicy(), bound.appPolicy())) {
            for (JsonNode statement : JSON.readTree(policy).get("Statement")) {
                String sid = statement.get("Sid").asText();
                assertEquals("Allow", statement.get("Effect").asText(), sid);
                for (JsonNode resourceNode : statement.get("Resource")) {
                    String resource = resourceNode.asText();
                    if (resource.equals("*")) {
                        assertEquals("[\"ec2:DescribeInstances\"]", statement.get("Action").toString(), sid + ": only Describe may name *");
                    } else if (resource.startsWith(ec2Arn)) {
                        // EC2 ARNs cannot name the stack; a condition must: its tag, or being part of a launch from a
                        // template (RunFromStackTemplate allows only templates tagged with the stack).
                        String condition = String.valueOf(statement.get("Condition"));
                        assertTrue(condition.contains("\"aws:ResourceTag/hybrid:stack\":\"" + STACK + "\"")
                                        || condition.contains("\"aws:RequestTag/hybrid:stack\":\"" + STACK + "\"")
                                        || condition.contains("\"ec2:IsLaunchTemplateResource\":\"true\"")
                                        || condition.contains("\"ec2:CreateAction\":\"RunInstances\""),
                                () -> sid + ": " + resource + " is bound to the stack by a condition, not " + condition);
                    } else {
                        assertTrue(ours.stream().anyMatch(arn -> resource.equals(arn) || resource.startsWith(arn + "/")),
                                () -> sid + ": " + resource + " is one of this stack's " + ours);
                    }
                }
            }
            assertFalse(policy.contains(OTHER), "no name of the other stack");
        }
    }

    /**
     * A canary for the gap described in the class comment: calls the policies allow, on this stack's own queue
     * and instance, that moto 5.1 denies because it checks them against "*". When this fails, moto resolves
     * queue or instance ARNs: move these calls into {@link #theTiersCallsPassAndCallsOutsideTheirPoliciesAreDenied}
     * and add the denials the structural check stands in for (another stack's queue).
     */
    @Test
    void motoChecksQueuesAndInstancesOnlyAgainstTheResourceStar() {
        Bound bound = bind();
        String ami = adminEc2.describeImages(b -> b.owners("amazon")).images().get(0).imageId();
        String instance = adminEc2.runInstances(b -> b.imageId(ami).minCount(1).maxCount(1).tagSpecifications(t -> t
                .resourceType(ResourceType.INSTANCE).tags(tag -> tag.key("hybrid:stack").value(STACK), tag -> tag.key("hybrid:role")
                        .value(Roles.APP_WORKER)))).instances().get(0).instanceId();
        moto.enforceIam();

        denied("moto: the web tier's backlog read on its own request queue (allowed by the policy)",
                () -> new SqsBacklogSource(sqs(bound.web()), bound.mine().requestUrl()).read());
        denied("moto: a worker's receive on its own request queue (allowed by the policy)",
                () -> sqs(bound.worker()).receiveMessage(b -> b.queueUrl(bound.mine().requestUrl())));
        denied("moto: the web tier stopping its own stack's worker (allowed by the policy)",
                () -> ec2(bound.web()).stopInstances(b -> b.instanceIds(instance)));
    }

    /** Two stacks' queues and buckets; this stack's policies bound to a user and a role, as the walk makes them. */
    private Bound bind() {
        Stack mine = stack(STACK);
        Stack other = stack(OTHER);
        String role = "hybrid-" + STACK + "-app-d1";
        String roleArn = adminIam.createRole(b -> b.roleName(role).path("/hybrid/" + STACK + "/").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                        + "\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
        String appPolicy = GeneratedPolicies.appTier(mine.requestArn(), mine.responseArn(), mine.input(), mine.output(), mine.artifacts());
        adminIam.putRolePolicy(b -> b.roleName(role).policyName("hybrid-app-tier").policyDocument(appPolicy));
        String user = "hybrid-" + STACK + "-web-d1";
        String webPolicy = GeneratedPolicies.webTier(STACK, mine.requestArn(), mine.responseArn(), mine.input(), mine.output(), roleArn);
        adminIam.createUser(b -> b.userName(user).path("/hybrid/" + STACK + "/"));
        adminIam.putUserPolicy(b -> b.userName(user).policyName("hybrid-web-tier").policyDocument(webPolicy));
        AccessKey key = adminIam.createAccessKey(b -> b.userName(user)).accessKey();
        Credentials session;
        try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID,
                        MotoServer.SECRET_ACCESS_KEY))).build()) {
            session = sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName("worker")).credentials();
        }
        AwsCredentials worker = AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken());
        return new Bound(mine, other, webPolicy, appPolicy, roleArn,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())),
                StaticCredentialsProvider.create(worker));
    }

    private Stack stack(String name) {
        String request = adminSqs.createQueue(b -> b.queueName("hybrid-" + name + "-request-d1")).queueUrl();
        String response = adminSqs.createQueue(b -> b.queueName("hybrid-" + name + "-response-d1")).queueUrl();
        List<String> buckets = new ArrayList<>();
        for (String role : List.of(Roles.INPUT_BUCKET, Roles.OUTPUT_BUCKET, Roles.ARTIFACTS_BUCKET)) {
            String bucket = GeneratedPolicies.bucket(name, role, MotoServer.ACCOUNT_ID, MotoServer.REGION);
            adminS3.createBucket(b -> b.bucket(bucket));
            buckets.add(bucket);
        }
        return new Stack(name, request, arn(request), response, arn(response), buckets.get(0), buckets.get(1), buckets.get(2));
    }

    private String arn(String queueUrl) {
        return adminSqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
    }

    /** A 403 from the service, as AWS answers a call the caller's policies do not allow. */
    private static void denied(String what, Executable call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, call, () -> what + " was allowed");
        assertEquals(403, e.statusCode(), () -> what + ": " + e.getMessage());
    }

    private S3Client s3(AwsCredentialsProvider credentials) {
        // As the tiers build it for an endpoint other than AWS's (WebMain, WorkerAwsClients).
        return keep(S3Client.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION)).credentialsProvider(credentials)
                .forcePathStyle(true).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build());
    }

    private SqsClient sqs(AwsCredentialsProvider credentials) {
        return keep(SqsClient.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION)).credentialsProvider(credentials)
                .build());
    }

    private Ec2Client ec2(AwsCredentialsProvider credentials) {
        return keep(Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION)).credentialsProvider(credentials)
                .build());
    }

    private <T extends AutoCloseable> T keep(T client) {
        clients.add(client);
        return client;
    }
}
