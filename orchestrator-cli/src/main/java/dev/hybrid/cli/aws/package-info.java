/**
 * The AWS side of a stack as resources of the engine: SQS queues, S3 buckets, the IAM role and user, the app tier's
 * security group, image, launch template and workers, and the image bake and export they share. Each resource class
 * declares its outputs as typed keys and reads other resources' outputs through typed references, and waits only through
 * the engine's {@code Waiter}. It imports the AWS SDK, the engine, config, {@code contract} and {@code local-aws}, and
 * nothing else of the CLI (one exception left: {@code AwsTarget} throws the root package's {@code ConfigurationException}).
 */
package dev.hybrid.cli.aws;
