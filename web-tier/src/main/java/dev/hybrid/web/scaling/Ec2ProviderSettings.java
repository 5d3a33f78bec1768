package dev.hybrid.web.scaling;

import java.time.Duration;

/**
 * How the EC2 provider runs the app-tier workers.
 *
 * @param stack            the {@code hybrid:stack} tag of the workers it counts and launches
 * @param launchTemplateId the stack's app-tier launch template, which tags the workers
 * @param maxInstances     live workers never exceed this, pending ones included
 * @param warmPoolSize     stopped workers kept for a fast start; 0 for none
 * @param launchPause      how long launches pause after EC2 has no capacity or refuses the type
 */
public record Ec2ProviderSettings(String stack, String launchTemplateId, int maxInstances, int warmPoolSize, Duration launchPause) {
    public static final int DEFAULT_MAX_INSTANCES = 20;

    public Ec2ProviderSettings {
        if (maxInstances < 1) {
            throw new IllegalArgumentException("maxInstances must be at least 1, got " + maxInstances);
        }
        if (warmPoolSize < 0) {
            throw new IllegalArgumentException("warmPoolSize must not be negative, got " + warmPoolSize);
        }
    }
}
