package dev.hybrid.worker.model;

import dev.hybrid.contract.EnvNames;
import java.util.Map;

/**
 * Which model to load and how to feed it.
 *
 * @param url     {@code djl://…} (model zoo), {@code file:/path/model.pt} (TorchScript) or {@code s3://bucket/key}
 * @param labels  a labels file for a {@code file:} model: a JSON array or one label per line; null for the built-in list
 * @param profile {@code cse546} or {@code imagenet}
 * @param budget  the worker's memory budget, which bounds the images it decodes and its forward passes
 */
public record ModelSettings(String url, String labels, Profile profile, MemoryBudget budget) {
    public static final String DEFAULT_URL = "djl://ai.djl.pytorch/resnet";

    /** With the memory budget derived from the machine. */
    public static ModelSettings of(String url, String labels, String profile) {
        return of(url, labels, profile, null);
    }

    /** {@code budgetMb} null: derived from the machine's memory ({@link MemoryBudget#of}). */
    public static ModelSettings of(String url, String labels, String profile, Long budgetMb) {
        return new ModelSettings(url == null || url.isBlank() ? DEFAULT_URL : url.trim(),
                labels == null || labels.isBlank() ? null : labels.trim(), Profile.parse(profile), MemoryBudget.of(budgetMb));
    }

    public static ModelSettings fromEnvironment(Map<String, String> env) {
        String budget = env.get(dev.hybrid.contract.WorkerLimits.MEMORY_BUDGET_MB_ENV);
        return of(env.get(EnvNames.MODEL_URL), env.get(EnvNames.MODEL_LABELS), env.get(EnvNames.MODEL_PROFILE),
                budget == null || budget.isBlank() ? null : Long.valueOf(budget.trim()));
    }
}
