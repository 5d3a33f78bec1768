package dev.hybrid.cli.targets;

import dev.hybrid.cli.aws.AwsStack;
import dev.hybrid.cli.aws.QueueSpec;
import dev.hybrid.cli.aws.S3Bucket;
import dev.hybrid.cli.aws.SqsQueue;
import dev.hybrid.cli.engine.Ref;
import dev.hybrid.contract.EnvNames;
import java.util.LinkedHashMap;
import java.util.Map;

/** The outputs that the tiers read, under the environment variable names they read them from. */
public final class TierSettings {
    private TierSettings() {
    }

    static Map<String, String> fromOutputs(Map<String, Map<String, String>> outputs) {
        Map<String, String> settings = new LinkedHashMap<>();
        put(settings, EnvNames.REQUEST_QUEUE_URL, outputs, SqsQueue.at("request").get(SqsQueue.URL));
        put(settings, EnvNames.RESPONSE_QUEUE_URL, outputs, SqsQueue.at("response").get(SqsQueue.URL));
        put(settings, EnvNames.DEAD_LETTER_QUEUE_URL, outputs, SqsQueue.at(QueueSpec.deadLetter().role()).get(SqsQueue.URL));
        put(settings, EnvNames.INPUT_BUCKET, outputs, S3Bucket.at(AwsStack.INPUT).get(S3Bucket.NAME));
        put(settings, EnvNames.OUTPUT_BUCKET, outputs, S3Bucket.at(AwsStack.OUTPUT).get(S3Bucket.NAME));
        return settings;
    }

    private static void put(Map<String, String> settings, String name, Map<String, Map<String, String>> outputs, Ref<String> ref) {
        ref.in(outputs).ifPresent(value -> settings.put(name, value));
    }
}
