package dev.hybrid.cli.openstack;

import dev.hybrid.cli.config.Recipe;
import dev.hybrid.contract.EnvNames;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cloud-config of images/web-tier/cloud-config.yaml with the stack's values filled in. It is the only place
 * the web tier's secret key is written to, and it is never logged: {@link #toString()} hides it.
 */
public final class WebUserData {
    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^#(?!cloud-config).*\n");
    private static final Recipe TEMPLATE = Recipe.load(WebUserData.class, "cloud-config.yaml");

    /** The access key of the web tier's own narrow identity. */
    public record Credentials(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + ", secret hidden]";
        }
    }

    /**
     * @param sqsEndpoint      null on real AWS
     * @param launchTemplateId the app tier's EC2 launch template the web tier's autoscaler launches from; empty for none
     */
    public record Settings(String requestQueueUrl, String responseQueueUrl, String inputBucket, String outputBucket, String region,
                           int webPort, URI sqsEndpoint, URI s3Endpoint, String stack, String launchTemplateId) {
    }

    private WebUserData() {
    }

    /**
     * 16 hex digits of SHA-256 over the user-data with the secret left out: the same settings and key id give the same
     * fingerprint, so a server can say what it was booted with without keeping anything secret.
     */
    public static String fingerprint(Settings settings, String accessKeyId) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(render(settings, new Credentials(accessKeyId, "")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static String render(Settings settings, Credentials credentials) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("REQUEST_QUEUE_URL", settings.requestQueueUrl());
        values.put("RESPONSE_QUEUE_URL", settings.responseQueueUrl());
        values.put("INPUT_BUCKET", settings.inputBucket());
        values.put("OUTPUT_BUCKET", settings.outputBucket());
        values.put("REGION", settings.region());
        values.put("WEB_PORT", Integer.toString(settings.webPort()));
        values.put("STACK", settings.stack());
        values.put("LAUNCH_TEMPLATE_ID", settings.launchTemplateId());
        values.put("ENDPOINT_LINES", settings.sqsEndpoint() == null ? "" : "AWS_ENDPOINT_URL_SQS=" + settings.sqsEndpoint()
                + "\n      AWS_ENDPOINT_URL_S3=" + settings.s3Endpoint() + "\n      " + EnvNames.S3_PATH_STYLE + "=true");
        values.put("WEB_ACCESS_KEY_ID", credentials.accessKeyId());
        values.put("WEB_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        values.forEach((name, value) -> {
            if (value == null || value.contains("\n") && !name.equals("ENDPOINT_LINES")) {
                throw new IllegalArgumentException("the web tier's user-data has no usable " + name);
            }
        });
        String out = TEMPLATE.fill(values);
        // The recipe's comments are for its readers; user-data is limited to 64 KiB and shown by 'server show'.
        return COMMENT_LINE.matcher(out).replaceAll("");
    }
}
