package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.cli.engine.VirtualClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.hybrid.cli.aws.BakeStubs.*;
import static dev.hybrid.cli.aws.QueryApi.ec2Error;
import static dev.hybrid.cli.aws.QueryApi.ec2Ok;
import static dev.hybrid.cli.aws.QueryApi.iamError;
import static dev.hybrid.cli.aws.QueryApi.iamOk;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.StackContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code hybrid image build web-tier} against WireMock speaking EC2, IAM and S3 to the real SDK:
 * bake, the vmimport role made when missing, the export polled to completion, the AMI deregistered,
 * reuse of an earlier export, and an export that fails.
 */
class WebImageExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "hybrid-s1-artifacts-" + ACCOUNT + "-us-east-1";
    private static final String PROFILE_ARN = "arn:aws:iam::" + ACCOUNT + ":instance-profile/hybrid/s1/hybrid-s1-app-d1";
    private static final String TASK = "export-ami-0123456789abcdef0";

    @TempDir
    Path dir;
    private WireMockAws aws;
    private WireMockServer server;
    private QueryApi api;
    private BakeStubs stubs;
    private Ec2Client ec2;
    private S3Client s3;
    private IamClient iam;
    private Path webJar;
    private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        aws = new WireMockAws(new CallRecorder());
        server = aws.server;
        api = aws.api;
        ec2 = aws.ec2;
        s3 = aws.s3;
        iam = aws.iam;
        webJar = Files.write(dir.resolve("hybrid-web-tier.jar"), "a web-tier jar".getBytes(StandardCharsets.UTF_8));
        stubs = new BakeStubs(server);
        stubs.steadyState(BUCKET);
        noEarlierExport();
        server.stubFor(head(urlPathMatching("/" + BUCKET + "/images/web-tier/[0-9a-f]{20}/.*\\.vmdk")).atPriority(PRIORITY_SPECIFIC)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Length", "1048576").withHeader("ETag", "\"vmdk\"")));
        stubs.stub("GetRole", Map.of(), PRIORITY_STEADY, iamError(404, "NoSuchEntity", "The role with name vmimport cannot be found."));
        stubs.stub("CreateRole", Map.of(), PRIORITY_STEADY, iamOk("CreateRole", "<Role><Path>/</Path><RoleName>vmimport</RoleName>"
                + "<RoleId>AROAVMIMPORT</RoleId><Arn>arn:aws:iam::" + ACCOUNT + ":role/vmimport</Arn><CreateDate>2026-11-23T00:00:00Z</CreateDate></Role>"));
        stubs.stub("PutRolePolicy", Map.of(), PRIORITY_STEADY, iamOk("PutRolePolicy", ""));
        stubs.stub("ExportImage", Map.of(), PRIORITY_STEADY, ec2Ok("ExportImage", "<exportImageTaskId>" + TASK + "</exportImageTaskId>"
                + "<status>active</status><progress>0</progress>"));
        stubs.sequence("export", "DescribeExportImageTasks", Map.of(), exportTask("active", "10", "validating"),
                exportTask("active", "55", "converting"), exportTask("completed", "100", ""));
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private void noEarlierExport() {
        server.stubFor(get(urlPathMatching("/" + BUCKET + "/?")).atPriority(PRIORITY_STEADY).willReturn(listing("")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder listing(String contents) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(
                "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + BUCKET + "</Name><Prefix></Prefix><KeyCount>"
                        + (contents.isEmpty() ? 0 : 1) + "</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>" + contents
                        + "</ListBucketResult>");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder exportTask(String status, String progress, String message) {
        return ec2Ok("DescribeExportImageTasks", "<exportImageTaskSet><item><exportImageTaskId>" + TASK + "</exportImageTaskId><imageId>"
                + BAKED + "</imageId><status>" + status + "</status><progress>" + progress + "</progress><statusMessage>" + message
                + "</statusMessage><s3ExportLocation><s3Bucket>" + BUCKET + "</s3Bucket><s3Prefix>images/web-tier/</s3Prefix></s3ExportLocation>"
                + "</item></exportImageTaskSet>");
    }

    private WebImageExport export() {
        ProgressBars bars = (task, total, unit) -> new ProgressBars.Bar() {
            @Override
            public void stepTo(long done) {
                progress.add(done);
            }

            @Override
            public void close() {
            }
        };
        Backoff backoff = new Backoff(5, Duration.ofSeconds(1), Duration.ofSeconds(8), pauses::add);
        Waiter waiter = new Waiter(new VirtualClock(pauses::add), bars);
        ImageBake bake = new ImageBake(ec2, backoff, waiter, Duration.ofSeconds(15), Duration.ofMinutes(30), Duration.ofMinutes(45));
        return new WebImageExport(ec2, s3, iam, bake, backoff, waiter, Duration.ofSeconds(30), Duration.ofMinutes(120));
    }

    private WebImageExport.Result build() {
        return export().build(new StackContext("s1", "d1"), webJar, new WebImageExport.Builder(BUCKET, PROFILE_ARN, "sg-0app", "t3.medium"));
    }

    @Test
    void bakesExportsWithAFreshVmimportRoleThenDeregistersTheImage() throws Exception {
        stubs.sequence("role", "ExportImage", Map.of(),
                ec2Error("InvalidParameter", "The service role vmimport provided does not exist or does not have sufficient permissions"),
                ec2Ok("ExportImage", "<exportImageTaskId>" + TASK + "</exportImageTaskId><status>active</status>"));

        WebImageExport.Result result = build();

        assertFalse(result.reused());
        assertTrue(result.key().matches("images/web-tier/[0-9a-f]{20}/" + TASK + "\\.vmdk"), result.key());
        assertEquals("s3://" + BUCKET + "/" + result.key(), result.uri());
        assertEquals(1, server.findAll(putRequestedFor(urlPathMatching("/" + BUCKET + "/images/web-tier/[0-9a-f]{64}\\.jar"))).size());

        String userData = new String(Base64.getDecoder().decode(api.only("RunInstances").get("UserData")), StandardCharsets.UTF_8);
        assertTrue(userData.matches("(?s).*aws s3 cp 's3://" + BUCKET + "/images/web-tier/[0-9a-f]{64}\\.jar' /opt/hybrid/hybrid-web-tier\\.jar.*"), userData);
        assertTrue(userData.contains("datasource_list: [ ConfigDrive, OpenStack, Ec2, None ]"), "the VMDK boots on OpenStack: " + userData);
        assertTrue(userData.contains("ExecStart=/usr/bin/java -Xmx1g -jar /opt/hybrid/hybrid-web-tier.jar"), userData);
        assertFalse(userData.matches("(?s).*@[A-Z][A-Z0-9_]*@.*"), userData);
        assertTrue(api.only("CreateImage").get("Name").matches("hybrid-web-[0-9a-f]{20}"));

        JsonNode trust = JSON.readTree(api.only("CreateRole").get("AssumeRolePolicyDocument"));
        assertEquals("vmimport", api.only("CreateRole").get("RoleName"));
        assertEquals("vmie.amazonaws.com", trust.at("/Statement/0/Principal/Service").asText());
        assertEquals("vmimport", trust.at("/Statement/0/Condition/StringEquals/sts:Externalid").asText());
        JsonNode policy = JSON.readTree(api.only("PutRolePolicy").get("PolicyDocument"));
        assertEquals("[\"arn:aws:s3:::hybrid-*-artifacts-*\",\"arn:aws:s3:::hybrid-*-artifacts-*/images/web-tier/*\"]",
                policy.at("/Statement/0/Resource").toString(), "the role reaches the artifacts buckets' image prefix only");

        List<Map<String, String>> exports = api.requests("ExportImage");
        assertEquals(2, exports.size(), "retried while IAM had not yet spread the new role");
        assertEquals(exports.get(0).get("ClientToken"), exports.get(1).get("ClientToken"));
        Map<String, String> exported = exports.get(1);
        assertEquals(BAKED, exported.get("ImageId"));
        assertEquals("VMDK", exported.get("DiskImageFormat"));
        assertEquals("vmimport", exported.get("RoleName"));
        assertEquals(BUCKET, exported.get("S3ExportLocation.S3Bucket"));
        assertTrue(exported.get("S3ExportLocation.S3Prefix").matches("images/web-tier/[0-9a-f]{20}/"), exported.toString());
        assertEquals(List.of(10L, 55L, 100L), progress.stream().filter(p -> p > 0).toList());

        List<String> actions = api.actions();
        assertTrue(actions.lastIndexOf("DescribeExportImageTasks") < actions.indexOf("DeregisterImage"), actions.toString());
        assertEquals(BAKED, api.only("DeregisterImage").get("ImageId"));
        assertEquals("snap-0baked", api.only("DeleteSnapshot").get("SnapshotId"));
        assertEquals(BUILDER, api.only("TerminateInstances").get("InstanceId.1"));
    }

    @Test
    void anEarlierExportOfTheSameInputsIsReusedWithoutABake() {
        WebImageExport.Result first = build();
        server.resetRequests();
        String earlier = first.key();
        String contents = "<Contents><Key>" + earlier + "</Key><LastModified>2026-11-23T00:00:00.000Z</LastModified><ETag>\"vmdk\"</ETag>"
                + "<Size>1048576</Size><StorageClass>STANDARD</StorageClass></Contents>";
        server.stubFor(get(urlPathMatching("/" + BUCKET + "/?")).withQueryParam("prefix", equalTo(earlier.substring(0, earlier.lastIndexOf('/') + 1)))
                .atPriority(PRIORITY_SPECIFIC).willReturn(listing(contents)));

        WebImageExport.Result second = build();

        assertTrue(second.reused());
        assertEquals(earlier, second.key());
        assertEquals(List.of(), api.requests("RunInstances"));
        assertEquals(List.of(), api.requests("ExportImage"));
    }

    @Test
    void aFailedExportSaysWhyAndStillDeregistersTheImage() {
        stubs.stub("GetRole", Map.of(), PRIORITY_SPECIFIC, iamOk("GetRole", "<Role><Path>/</Path><RoleName>vmimport</RoleName>"
                + "<RoleId>AROAVMIMPORT</RoleId><Arn>arn:aws:iam::" + ACCOUNT + ":role/vmimport</Arn><CreateDate>2026-11-23T00:00:00Z</CreateDate></Role>"));
        stubs.sequence("failed", "DescribeExportImageTasks", Map.of(), exportTask("active", "20", "converting"),
                exportTask("deleted", "20", "ClientError: Unsupported kernel version"));

        IllegalStateException e = assertThrows(IllegalStateException.class, this::build);

        assertEquals("export " + TASK + " of " + BAKED + " ended deleted: ClientError: Unsupported kernel version", e.getMessage());
        assertEquals(List.of(), api.requests("CreateRole"), "the account's role was there already");
        assertEquals(BAKED, api.only("DeregisterImage").get("ImageId"));
    }
}
