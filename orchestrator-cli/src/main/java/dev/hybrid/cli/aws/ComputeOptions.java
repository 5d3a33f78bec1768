package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.ProgressBars;

/**
 * What a real AWS target adds to the queues and buckets: IAM for both tiers, the workers'
 * security group, the app-tier image and, once there is an image, the workers' launch template.
 *
 * @param vpcId          null for the region's default VPC
 * @param launchTemplate null while there is no app-tier image to launch: then no launch template is made
 * @param appImage       what the stack bakes its app-tier image from; null when it bakes none (an AMI was given, or no jar)
 * @param keepImages     leave baked images where they are (teardown {@code --keep-images}); a later up reuses them
 * @param rotateKeys     replace the web tier's access key on this up
 * @param keys           where a new web-tier key is handed over, beside the walk
 * @param bars           where the bake shows its long waits
 */
public record ComputeOptions(String vpcId, LaunchTemplateSpec launchTemplate, AppImage.Inputs appImage, boolean keepImages,
                             boolean rotateKeys, WebTierKeys keys, ProgressBars bars) {
}
