package dev.hybrid.cli.aws;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.contract.EnvNames;
import dev.hybrid.localaws.LocalAws;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Where the AWS side lives: real AWS (a profile or the default chain) or the local emulators.
 * The two differ only in endpoints, path-style S3 and the fixed local credentials.
 *
 * @param profile null for the default credential chain or for local
 */
public record AwsTarget(boolean local, String profile, Region region, URI sqsEndpoint, URI s3Endpoint, boolean pathStyle) {
    public static final String LOCAL = "local";

    /** The emulators at known endpoints, e.g. those that {@code LocalAws} started. */
    public static AwsTarget local(URI sqsEndpoint, URI s3Endpoint) {
        return new AwsTarget(true, null, Region.of(LocalAws.REGION), sqsEndpoint, s3Endpoint, true);
    }

    /**
     * Resolves flags first, then the AWS-style environment variables.
     *
     * @param aws {@code local}, a profile name, or null for the default chain
     */
    public static AwsTarget resolve(String aws, URI sqsFlag, URI s3Flag, Map<String, String> env) {
        boolean local = LOCAL.equals(aws);
        URI sqs = sqsFlag != null ? sqsFlag : endpointFromEnv(env, "AWS_ENDPOINT_URL_SQS");
        URI s3 = s3Flag != null ? s3Flag : endpointFromEnv(env, "AWS_ENDPOINT_URL_S3");
        if (local && (sqs == null || s3 == null)) {
            throw new ConfigurationException("--aws local needs the emulator endpoints: set AWS_ENDPOINT_URL_SQS and "
                    + "AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), or pass --sqs-endpoint and --s3-endpoint");
        }
        String profile = local || aws == null ? null : aws;
        if (!local) {
            AwsProfileFiles.check();
        }
        if (profile != null && ProfileFile.defaultProfileFile().profile(profile).isEmpty()) {
            throw new ConfigurationException("no AWS profile named " + profile + " in ~/.aws/config or ~/.aws/credentials: "
                    + "create it with 'aws configure --profile " + profile + "', or use --aws local");
        }
        boolean pathStyle = local || "true".equalsIgnoreCase(env.get(EnvNames.S3_PATH_STYLE));
        return new AwsTarget(local, profile, region(local, profile, env), sqs, s3, pathStyle);
    }

    private static URI endpointFromEnv(Map<String, String> env, String serviceVariable) {
        String value = env.getOrDefault(serviceVariable, env.get("AWS_ENDPOINT_URL"));
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(value.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(serviceVariable + " (or AWS_ENDPOINT_URL) is not a URL like http://127.0.0.1:9324: " + value);
        }
    }

    private static Region region(boolean local, String profile, Map<String, String> env) {
        String fromEnv = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Region.of(fromEnv.trim());
        }
        if (local) {
            return Region.of(LocalAws.REGION);
        }
        try {
            return DefaultAwsRegionProviderChain.builder().profileName(profile).build().getRegion();
        } catch (SdkClientException e) {
            throw new ConfigurationException("no AWS region: set AWS_REGION or a region in the AWS profile"
                    + (profile == null ? "" : " " + profile));
        }
    }

    /** How the target is named in output: never contains credentials. */
    public String describe() {
        if (local) {
            return "local (sqs " + sqsEndpoint + ", s3 " + s3Endpoint + ")";
        }
        return (profile == null ? "default credentials" : "profile " + profile) + ", " + region;
    }
}
