package dev.hybrid.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * Debian's {@code aws} command (package awscli), the independent checker: what hybrid did is read
 * back through another client than hybrid's own code. The endpoint is given with
 * {@code --endpoint-url}, which every awscli version knows.
 */
final class AwsCli {
    static final String EXECUTABLE = "/usr/bin/aws";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;

    AwsCli(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Runs {@code aws SERVICE OPERATION args... --output json} and returns its JSON (an empty object when it printed nothing). */
    JsonNode json(String... args) {
        List<String> command = new ArrayList<>(List.of(EXECUTABLE, "--endpoint-url", endpoint.toString(), "--region", "us-east-1",
                "--output", "json", "--no-cli-pager"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "checker", "AWS_SECRET_ACCESS_KEY", "checker",
                "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("aws " + String.join(" ", args) + " failed: " + err.strip());
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("could not run " + EXECUTABLE + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The values of {@code field} in every element of the array {@code list} of the answer. */
    TreeSet<String> ids(String list, String field, String... args) {
        JsonNode answer = json(args).path(list);
        TreeSet<String> ids = new TreeSet<>();
        StreamSupport.stream(answer.spliterator(), false).map(node -> node.path(field).asText()).forEach(ids::add);
        return ids;
    }

    /**
     * Every kind of thing the stack can leave in moto, as {@code kind -> ids}: instances not
     * terminated, images, snapshots, launch templates, security groups, roles, users, access keys,
     * instance profiles, queues and buckets.
     */
    Map<String, TreeSet<String>> inventory() {
        // Each aws run starts Python; run them side by side.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            Map<String, java.util.concurrent.Future<TreeSet<String>>> kinds = new java.util.TreeMap<>();
            kinds.put("instances", pool.submit(() -> {
                TreeSet<String> instances = new TreeSet<>();
                for (JsonNode reservation : json("ec2", "describe-instances", "--filters",
                        "Name=instance-state-name,Values=pending,running,stopping,stopped,shutting-down").path("Reservations")) {
                    reservation.path("Instances").forEach(instance -> instances.add(instance.path("InstanceId").asText()));
                }
                return instances;
            }));
            kinds.put("images", pool.submit(() -> ids("Images", "ImageId", "ec2", "describe-images", "--owners", "self")));
            kinds.put("snapshots", pool.submit(() -> ids("Snapshots", "SnapshotId", "ec2", "describe-snapshots", "--owner-ids", "self")));
            kinds.put("launch-templates", pool.submit(() -> ids("LaunchTemplates", "LaunchTemplateName", "ec2", "describe-launch-templates")));
            kinds.put("security-groups", pool.submit(() -> ids("SecurityGroups", "GroupName", "ec2", "describe-security-groups")));
            kinds.put("roles", pool.submit(() -> ids("Roles", "RoleName", "iam", "list-roles")));
            kinds.put("users", pool.submit(() -> ids("Users", "UserName", "iam", "list-users")));
            kinds.put("access-keys", pool.submit(() -> {
                TreeSet<String> keys = new TreeSet<>();
                ids("Users", "UserName", "iam", "list-users")
                        .forEach(user -> keys.addAll(ids("AccessKeyMetadata", "AccessKeyId", "iam", "list-access-keys", "--user-name", user)));
                return keys;
            }));
            kinds.put("instance-profiles", pool.submit(() -> ids("InstanceProfiles", "InstanceProfileName", "iam", "list-instance-profiles")));
            kinds.put("queues", pool.submit(() -> {
                TreeSet<String> queues = new TreeSet<>();
                json("sqs", "list-queues").path("QueueUrls").forEach(url -> queues.add(url.asText()));
                return queues;
            }));
            kinds.put("buckets", pool.submit(() -> ids("Buckets", "Name", "s3api", "list-buckets")));
            Map<String, TreeSet<String>> result = new java.util.TreeMap<>();
            for (Map.Entry<String, java.util.concurrent.Future<TreeSet<String>>> kind : kinds.entrySet()) {
                result.put(kind.getKey(), kind.getValue().get());
            }
            return result;
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof AssertionError failure ? failure : new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
