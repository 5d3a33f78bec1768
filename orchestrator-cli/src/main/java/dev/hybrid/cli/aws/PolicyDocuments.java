package dev.hybrid.cli.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.contract.S3Layout;
import dev.hybrid.contract.TagKeys;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The IAM policy documents of the stack, each granting exactly the calls that the tier's code
 * makes on the stack's own queues, buckets and instances, and nothing else.
 */
final class PolicyDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyDocuments() {
    }

    /** Where a policy's ARNs point; read from a queue ARN, which carries partition, region and account. */
    record Scope(String partition, String region, String account) {
        static Scope ofArn(String arn) {
            String[] parts = arn.split(":", 6);
            if (parts.length < 6 || !parts[0].equals("arn")) {
                throw new IllegalArgumentException("not an ARN: " + arn);
            }
            return new Scope(parts[1], parts[3], parts[4]);
        }

        String s3Bucket(String bucket) {
            return "arn:" + partition + ":s3:::" + bucket;
        }

        String s3Objects(String bucket, String keyPattern) {
            return "arn:" + partition + ":s3:::" + bucket + "/" + keyPattern;
        }

        String ec2(String resourceType) {
            return "arn:" + partition + ":ec2:" + region + ":" + account + ":" + resourceType + "/*";
        }
    }

    /** Lets EC2 instances, and only them, take the app-tier role. */
    static String ec2Trust() {
        ObjectNode statement = JSON.createObjectNode().put("Effect", "Allow");
        statement.putObject("Principal").put("Service", "ec2.amazonaws.com");
        statement.put("Action", "sts:AssumeRole");
        return document(statement);
    }

    /**
     * The worker takes batches from the request queue, extends and ends their visibility, replies on
     * the response queue and stores images and labels. Large images arrive as claim checks in the
     * input bucket, so it may also read that prefix. The visibility timeout reaches it through
     * user-data, so it needs no GetQueueAttributes. The image builders run with the same profile and
     * fetch the tiers' jars from the artifacts bucket, under the two image prefixes only.
     */
    static String appTier(String requestQueueArn, String responseQueueArn, String inputBucket, String outputBucket, String artifactsBucket) {
        Scope scope = Scope.ofArn(requestQueueArn);
        return document(
                allow("RequestQueue", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"), List.of(requestQueueArn)),
                allow("ResponseQueue", List.of("sqs:SendMessage"), List.of(responseQueueArn)),
                allow("StoreResults", List.of("s3:PutObject"), List.of(scope.s3Objects(inputBucket, "*"), scope.s3Objects(outputBucket, "*"))),
                allow("ReadClaimChecks", List.of("s3:GetObject"), List.of(scope.s3Objects(inputBucket, S3Layout.CLAIM_CHECK_PREFIX + "*"))),
                allow("FetchImageJars", List.of("s3:GetObject"), List.of(scope.s3Objects(artifactsBucket, AppImage.JAR_PREFIX + "*"),
                        scope.s3Objects(artifactsBucket, WebImageExport.PREFIX + "*.jar"))));
    }

    /**
     * The web tier sends requests and reads the backlog, takes replies, uses the result cache and
     * uploads claim checks. It lists the result cache at start ({@code ListObjectsV2}, prefix
     * {@code cache/}) and its health check asks {@code HeadBucket} of the output bucket: both are
     * {@code s3:ListBucket} on the bucket, which a listing may use only for the cache prefix (a
     * {@code HeadBucket} carries no prefix, hence {@code IfExists}). As the autoscaler it launches, starts, stops and terminates workers,
     * but only through this stack's launch template and only instances tagged with this stack.
     */
    static String webTier(String stack, String requestQueueArn, String responseQueueArn, String inputBucket, String outputBucket,
                          String appRoleArn) {
        Scope scope = Scope.ofArn(requestQueueArn);
        ObjectNode launchTemplate = allow("RunFromStackTemplate", List.of("ec2:RunInstances"), List.of(scope.ec2("launch-template")));
        condition(launchTemplate, "StringEquals", "aws:ResourceTag/" + TagKeys.STACK, stack);
        ObjectNode newInstances = allow("RunTaggedInstances", List.of("ec2:RunInstances"), List.of(scope.ec2("instance"), scope.ec2("volume")));
        condition(newInstances, "StringEquals", "aws:RequestTag/" + TagKeys.STACK, stack);
        // Image, subnet, security group and interface may only be the ones the stack's template names.
        ObjectNode templateParts = allow("RunWithTemplateParts", List.of("ec2:RunInstances"), List.of(scope.ec2("image"), scope.ec2("subnet"),
                scope.ec2("security-group"), scope.ec2("network-interface")));
        condition(templateParts, "Bool", "ec2:IsLaunchTemplateResource", "true");
        condition(templateParts, "ArnLike", "ec2:LaunchTemplate", scope.ec2("launch-template"));
        ObjectNode tagOnLaunch = allow("TagOnLaunch", List.of("ec2:CreateTags"), List.of(scope.ec2("instance"), scope.ec2("volume")));
        condition(tagOnLaunch, "StringEquals", "ec2:CreateAction", "RunInstances");
        ObjectNode lifecycle = allow("StackInstances", List.of("ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances"),
                List.of(scope.ec2("instance")));
        condition(lifecycle, "StringEquals", "aws:ResourceTag/" + TagKeys.STACK, stack);
        ObjectNode listCache = allow("ListResultCache", List.of("s3:ListBucket"), List.of(scope.s3Bucket(outputBucket)));
        condition(listCache, "StringLikeIfExists", "s3:prefix", S3Layout.CACHE_PREFIX + "*");
        ObjectNode passRole = allow("PassAppTierRole", List.of("iam:PassRole"), List.of(appRoleArn));
        condition(passRole, "StringEquals", "iam:PassedToService", "ec2.amazonaws.com");
        return document(
                allow("RequestQueue", List.of("sqs:SendMessage", "sqs:GetQueueAttributes"), List.of(requestQueueArn)),
                allow("ResponseQueue", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage"), List.of(responseQueueArn)),
                allow("ResultCache", List.of("s3:GetObject", "s3:PutObject"), List.of(scope.s3Objects(outputBucket, S3Layout.CACHE_PREFIX + "*"))),
                listCache,
                allow("ClaimChecks", List.of("s3:PutObject"), List.of(scope.s3Objects(inputBucket, S3Layout.CLAIM_CHECK_PREFIX + "*"))),
                launchTemplate, newInstances, templateParts, tagOnLaunch, lifecycle, passRole,
                // Describe calls support no resource-level permissions; counting the fleet needs this one.
                allow("CountInstances", List.of("ec2:DescribeInstances"), List.of("*")));
    }

    private static ObjectNode allow(String sid, List<String> actions, List<String> resources) {
        ObjectNode statement = JSON.createObjectNode().put("Sid", sid).put("Effect", "Allow");
        ArrayNode action = statement.putArray("Action");
        actions.forEach(action::add);
        ArrayNode resource = statement.putArray("Resource");
        resources.forEach(resource::add);
        return statement;
    }

    private static void condition(ObjectNode statement, String operator, String key, String value) {
        ObjectNode conditions = statement.has("Condition") ? (ObjectNode) statement.get("Condition") : statement.putObject("Condition");
        ObjectNode byOperator = conditions.has(operator) ? (ObjectNode) conditions.get(operator) : conditions.putObject(operator);
        byOperator.put(key, value);
    }

    private static String document(ObjectNode... statements) {
        ObjectNode document = JSON.createObjectNode().put("Version", "2012-10-17");
        ArrayNode list = document.putArray("Statement");
        for (ObjectNode statement : statements) {
            list.add(statement);
        }
        return document.toString();
    }

    /** IAM returns documents URL-encoded and may respace them; null when there is none. */
    static JsonNode parse(String document) {
        if (document == null) {
            return null;
        }
        String text = document.trim().startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("IAM returned a policy that is not JSON: " + e.getOriginalMessage());
        }
    }

    static boolean same(String wanted, String actual) {
        return actual != null && parse(wanted).equals(parse(actual));
    }
}
