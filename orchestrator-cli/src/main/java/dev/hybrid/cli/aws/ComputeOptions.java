package dev.hybrid.cli.aws;

/**
 * What a real AWS target adds to the queues and buckets: IAM for both tiers, the workers'
 * security group and, once an app-tier AMI is known, their launch template.
 *
 * @param vpcId          null for the region's default VPC
 * @param launchTemplate null while there is no app-tier AMI: then no launch template is made
 * @param rotateKeys     replace the web tier's access key on this up
 * @param keys           where a new web-tier key is handed over, beside the walk
 */
public record ComputeOptions(String vpcId, LaunchTemplateSpec launchTemplate, boolean rotateKeys, WebTierKeys keys) {
}
