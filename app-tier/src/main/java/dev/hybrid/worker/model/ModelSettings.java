package dev.hybrid.worker.model;

import dev.hybrid.contract.EnvNames;
import java.util.Map;

/**
 * Which model to load and how to feed it.
 *
 * @param url     {@code djl://…} (model zoo), {@code file:/path/model.pt} (TorchScript) or {@code s3://bucket/key}
 * @param labels  a labels file for a {@code file:} model: a JSON array or one label per line; null for the built-in list
 * @param profile {@code cse546} or {@code imagenet}
 */
public record ModelSettings(String url, String labels, Profile profile) {
    public static final String DEFAULT_URL = "djl://ai.djl.pytorch/resnet";

    public static ModelSettings of(String url, String labels, String profile) {
        return new ModelSettings(url == null || url.isBlank() ? DEFAULT_URL : url.trim(),
                labels == null || labels.isBlank() ? null : labels.trim(), Profile.parse(profile));
    }

    public static ModelSettings fromEnvironment(Map<String, String> env) {
        return of(env.get(EnvNames.MODEL_URL), env.get(EnvNames.MODEL_LABELS), env.get(EnvNames.MODEL_PROFILE));
    }
}
