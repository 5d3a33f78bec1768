package dev.hybrid.cli.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.config.Recipe;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.contract.Roles;
import dev.hybrid.contract.TagKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DiskImageFormat;
import software.amazon.awssdk.services.ec2.model.ExportImageTask;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code hybrid image build web-tier}: bakes a web-tier AMI the way the app tier's is baked, with
 * the web-tier jar and a unit that waits for cloud-init's settings, exports it as a VMDK into the
 * artifacts bucket, and deregisters the AMI, whose only use was the export. The VMDK's key carries
 * the content hash, so a build with the same inputs finds it and does nothing.
 */
public final class WebImageExport {
    private static final Logger log = LoggerFactory.getLogger(WebImageExport.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = "images/web-tier/";
    static final String IMAGE_ROLE = Roles.WEB_IMAGE;
    static final String BUILDER_ROLE = Roles.WEB_IMAGE_BUILDER;
    /** The service role VM Import/Export acts as; its name is fixed by AWS, and it is shared by the account. */
    static final String VMIMPORT_ROLE = "vmimport";
    static final String VMIMPORT_POLICY = "hybrid-export";
    private static final String COMPLETED = "completed";
    private static final Recipe BUILDER = Recipe.load(WebImageExport.class, "web-tier/builder-user-data.sh");
    private static final Recipe UNIT = Recipe.load(WebImageExport.class, "web-tier/hybrid-web.service");

    /** Where the VMDK is; {@code reused} when an earlier build of the same inputs made it. */
    public record Result(String bucket, String key, boolean reused) {
        public String uri() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /** What the builder runs with: the stack's artifacts bucket, and the app tier's profile and egress-only group. */
    public record Builder(String bucket, String instanceProfileArn, String securityGroupId, String instanceType) {
    }

    private final Ec2Client ec2;
    private final S3Client s3;
    private final IamClient iam;
    private final ImageBake bake;
    private final Backoff propagation;
    private final Waiter waiter;
    private final Duration poll;
    private final Duration exportTimeout;

    WebImageExport(Ec2Client ec2, S3Client s3, IamClient iam, ImageBake bake, Backoff propagation, Waiter waiter, Duration poll,
                   Duration exportTimeout) {
        this.ec2 = ec2;
        this.s3 = s3;
        this.iam = iam;
        this.bake = bake;
        this.propagation = propagation;
        this.waiter = waiter;
        this.poll = poll;
        this.exportTimeout = exportTimeout;
    }

    /** An export of an 8 GiB volume takes 20-60 minutes. */
    public static WebImageExport standard(AwsClients aws, ProgressBars bars) {
        return new WebImageExport(aws.ec2(), aws.s3(), aws.iam(), ImageBake.standard(aws.ec2(), bars), Backoff.iamPropagation(),
                Waiter.system(bars), Duration.ofSeconds(30), Duration.ofMinutes(120));
    }

    public Result build(StackContext context, Path webJar, Builder builder) {
        String jarSha = Artifacts.sha256(webJar);
        String base = bake.newestAmazonLinux().imageId();
        String hash = Artifacts.contentHash(List.of(jarSha, base, BUILDER.text(), UNIT.text()));
        String exportPrefix = PREFIX + hash + "/";
        Optional<String> done = existingVmdk(builder.bucket(), exportPrefix);
        if (done.isPresent()) {
            log.info("the web-tier image of these inputs was exported before: s3://{}/{}", builder.bucket(), done.get());
            return new Result(builder.bucket(), done.get(), true);
        }
        String jarKey = PREFIX + jarSha + ".jar";
        Artifacts.upload(s3, builder.bucket(), jarKey, webJar);
        List<Tag> imageTags = new ArrayList<>(Ec2Tags.of(context, IMAGE_ROLE));
        imageTags.add(Tag.builder().key(TagKeys.CONTENT_HASH).value(hash).build());
        String imageId = bake.bake(new ImageBake.Request("hybrid-web-" + hash, "hybrid web tier, for export as VMDK", base, builder.instanceType(),
                builder.instanceProfileArn(), builder.securityGroupId(),
                BUILDER.fill(Map.of("JAR_S3_URI", "s3://" + builder.bucket() + "/" + jarKey, "UNIT", UNIT.text().strip())),
                imageTags, Ec2Tags.of(context, BUILDER_ROLE)));
        try {
            ensureVmImportRole();
            String key = export(imageId, builder.bucket(), exportPrefix, context);
            return new Result(builder.bucket(), key, false);
        } finally {
            // The VMDK is the product; an AMI kept only for it would bill its snapshot every month.
            bake.deleteImage(imageId);
        }
    }

    private Optional<String> existingVmdk(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).filter(key -> key.endsWith(".vmdk")).findFirst();
    }

    /** The account's vmimport role, as AWS documents it, made if missing; its hybrid policy reaches every stack's artifacts bucket. */
    void ensureVmImportRole() {
        try {
            iam.getRole(b -> b.roleName(VMIMPORT_ROLE));
        } catch (NoSuchEntityException e) {
            log.info("creating the account's {} service role, which VM Import/Export needs to write the VMDK", VMIMPORT_ROLE);
            iam.createRole(b -> b.roleName(VMIMPORT_ROLE).assumeRolePolicyDocument(vmImportTrust())
                    .description("VM Import/Export service role, created by hybrid image build"));
        }
        iam.putRolePolicy(b -> b.roleName(VMIMPORT_ROLE).policyName(VMIMPORT_POLICY).policyDocument(vmImportPolicy()));
    }

    static String vmImportTrust() {
        ObjectNode statement = JSON.createObjectNode().put("Effect", "Allow");
        statement.putObject("Principal").put("Service", "vmie.amazonaws.com");
        statement.put("Action", "sts:AssumeRole");
        statement.putObject("Condition").putObject("StringEquals").put("sts:Externalid", VMIMPORT_ROLE);
        return document(List.of(statement));
    }

    static String vmImportPolicy() {
        ObjectNode buckets = JSON.createObjectNode().put("Effect", "Allow");
        buckets.putArray("Action").add("s3:GetBucketLocation").add("s3:GetBucketAcl").add("s3:ListBucket").add("s3:GetObject").add("s3:PutObject");
        buckets.putArray("Resource").add("arn:aws:s3:::hybrid-*-artifacts-*").add("arn:aws:s3:::hybrid-*-artifacts-*/" + PREFIX + "*");
        ObjectNode snapshots = JSON.createObjectNode().put("Effect", "Allow");
        snapshots.putArray("Action").add("ec2:ModifySnapshotAttribute").add("ec2:CopySnapshot").add("ec2:RegisterImage").add("ec2:Describe*");
        snapshots.put("Resource", "*");
        return document(List.of(buckets, snapshots));
    }

    private static String document(List<ObjectNode> statements) {
        ObjectNode document = JSON.createObjectNode().put("Version", "2012-10-17");
        statements.forEach(document.putArray("Statement")::add);
        return document.toString();
    }

    private String export(String imageId, String bucket, String prefix, StackContext context) {
        String token = UUID.randomUUID().toString();
        // A role just made or just given its policy is not yet usable by the service: EC2 says the role is missing or too weak.
        String taskId = propagation.call("exporting " + imageId, e -> AwsErrors.is(e, "InvalidParameter", "InvalidParameterValue")
                        && String.valueOf(e.awsErrorDetails().errorMessage()).contains(VMIMPORT_ROLE),
                () -> ec2.exportImage(b -> b.imageId(imageId).diskImageFormat(DiskImageFormat.VMDK).roleName(VMIMPORT_ROLE).clientToken(token)
                        .s3ExportLocation(l -> l.s3Bucket(bucket).s3Prefix(prefix))
                        .tagSpecifications(Ec2Tags.on(ResourceType.EXPORT_IMAGE_TASK, context, IMAGE_ROLE))).exportImageTaskId());
        // The task's statuses: active until completed; deleting and deleted (and failed) end it without a VMDK.
        waiter.until("exporting " + imageId + " as VMDK", () -> ec2.describeExportImageTasks(b -> b.exportImageTaskIds(taskId))
                        .exportImageTasks().stream().findFirst().map(task -> Waiter.Observation.of(task, String.valueOf(task.status())))
                        .orElseGet(Waiter.Observation::notFound))
                .pending("active").target(COMPLETED).pollEvery(poll).timeout(exportTimeout)
                .noting(seen -> statusOf(seen.value()))
                .inPercent(polled -> COMPLETED.equals(polled.status()) ? OptionalLong.of(100)
                        : polled.progress() != null && polled.progress().matches("\\d+") ? OptionalLong.of(Long.parseLong(polled.progress()))
                        : OptionalLong.empty())
                .onUnexpected(seen -> "export " + taskId + " of " + imageId + " ended " + statusOf(seen.value()))
                .onTimeout(seen -> "export " + taskId + " did not complete within " + exportTimeout.toMinutes() + " min ("
                        + (seen.found() ? "status " + seen.state() + ", " + seen.value().progress() + "%" : "not found")
                        + "); it goes on in AWS: aws ec2 describe-export-image-tasks")
                .await();
        String key = prefix + taskId + ".vmdk";
        if (!Artifacts.exists(s3, bucket, key)) {
            throw new IllegalStateException("export " + taskId + " completed but s3://" + bucket + "/" + key + " is not there");
        }
        return key;
    }

    /** The task's status with EC2's explanation when it gives one. */
    private static String statusOf(ExportImageTask task) {
        return task.status() + (task.statusMessage() == null ? "" : ": " + task.statusMessage());
    }
}
