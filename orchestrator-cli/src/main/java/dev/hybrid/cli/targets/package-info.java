/**
 * Where a stack runs. {@link dev.hybrid.cli.targets.Target} is what a command asks (plan, up, status, teardown,
 * image build); {@link dev.hybrid.cli.targets.Targets} is the one place that picks the implementation from the
 * options, the environment and hybrid.yaml: {@link dev.hybrid.cli.targets.CloudTarget} (OpenStack and AWS, or AWS
 * alone), {@link dev.hybrid.cli.targets.LocalTarget} (everything on this machine) and
 * {@link dev.hybrid.cli.targets.LocalWebTarget} (the web tier here, the rest on AWS). The local targets walk their
 * queues and buckets through a CloudTarget and then start their processes. {@link dev.hybrid.cli.targets.StackSession}
 * builds the clients and the resource graph for one command; {@link dev.hybrid.cli.targets.ServiceCheck} is how every
 * up ends (the health wait, then the canary). May import {@code engine}, {@code aws},
 * {@code openstack}, {@code local}, {@code config}, {@code output}, {@code service} and {@code samples} (the canary's
 * image); never {@code commands}.
 */
package dev.hybrid.cli.targets;
