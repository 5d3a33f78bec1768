package dev.hybrid.worker;

import dev.hybrid.contract.EnvNames;
import dev.hybrid.contract.WorkerLimits;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Each flag falls back to its environment variable, then to its own default. The environment is
 * passed in rather than read here so that tests can give one without touching the process's.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
    static final Map<String, String> VARIABLES = Map.ofEntries(
            Map.entry("--request-queue-url", EnvNames.REQUEST_QUEUE_URL),
            Map.entry("--response-queue-url", EnvNames.RESPONSE_QUEUE_URL),
            Map.entry("--input-bucket", EnvNames.INPUT_BUCKET),
            Map.entry("--output-bucket", EnvNames.OUTPUT_BUCKET),
            Map.entry("--region", "AWS_REGION"),
            Map.entry("--sqs-endpoint", "AWS_ENDPOINT_URL_SQS"),
            Map.entry("--s3-endpoint", "AWS_ENDPOINT_URL_S3"),
            Map.entry("--path-style", EnvNames.S3_PATH_STYLE),
            Map.entry("--threads", EnvNames.WORKER_THREADS),
            Map.entry("--batch", EnvNames.WORKER_BATCH),
            Map.entry("--idle-exit", EnvNames.IDLE_EXIT_SECONDS),
            Map.entry("--visibility-timeout", EnvNames.VISIBILITY_TIMEOUT_SECONDS),
            Map.entry("--worker-id", EnvNames.WORKER_ID),
            Map.entry("--max-receives", WorkerLimits.MAX_RECEIVES_ENV),
            Map.entry("--memory-budget", WorkerLimits.MEMORY_BUDGET_MB_ENV),
            Map.entry("--model", EnvNames.MODEL_URL),
            Map.entry("--labels", EnvNames.MODEL_LABELS),
            Map.entry("--profile", EnvNames.MODEL_PROFILE));

    /** AWS_ENDPOINT_URL covers every service that has no service-specific override. */
    private static final String ALL_SERVICES_ENDPOINT = "AWS_ENDPOINT_URL";

    private final Map<String, String> env;

    EnvironmentDefaults(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String variable = VARIABLES.get(option.longestName());
        if (variable == null) {
            return null;
        }
        String value = nonBlank(env.get(variable));
        if (value == null && variable.startsWith("AWS_ENDPOINT_URL_")) {
            value = nonBlank(env.get(ALL_SERVICES_ENDPOINT));
        }
        return value;
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
