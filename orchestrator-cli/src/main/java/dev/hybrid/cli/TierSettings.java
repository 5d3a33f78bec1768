package dev.hybrid.cli;

import dev.hybrid.cli.aws.AwsStack;
import dev.hybrid.cli.aws.S3Bucket;
import dev.hybrid.cli.aws.QueueSpec;
import dev.hybrid.cli.aws.SqsQueue;
import dev.hybrid.contract.EnvNames;
import java.util.LinkedHashMap;
import java.util.Map;

/** The outputs that the tiers read, under the environment variable names they read them from. */
final class TierSettings {
    private TierSettings() {
    }

    static Map<String, String> fromOutputs(Map<String, Map<String, String>> outputs) {
        Map<String, String> settings = new LinkedHashMap<>();
        put(settings, EnvNames.REQUEST_QUEUE_URL, outputs, SqsQueue.keyFor("request"), SqsQueue.OUTPUT_URL);
        put(settings, EnvNames.RESPONSE_QUEUE_URL, outputs, SqsQueue.keyFor("response"), SqsQueue.OUTPUT_URL);
        put(settings, EnvNames.DEAD_LETTER_QUEUE_URL, outputs, SqsQueue.keyFor(QueueSpec.deadLetter().role()), SqsQueue.OUTPUT_URL);
        put(settings, EnvNames.INPUT_BUCKET, outputs, S3Bucket.keyFor(AwsStack.INPUT), S3Bucket.OUTPUT_NAME);
        put(settings, EnvNames.OUTPUT_BUCKET, outputs, S3Bucket.keyFor(AwsStack.OUTPUT), S3Bucket.OUTPUT_NAME);
        return settings;
    }

    private static void put(Map<String, String> settings, String name, Map<String, Map<String, String>> outputs, String key, String output) {
        String value = outputs.getOrDefault(key, Map.of()).get(output);
        if (value != null) {
            settings.put(name, value);
        }
    }
}
