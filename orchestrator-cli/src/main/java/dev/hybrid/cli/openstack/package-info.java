/**
 * The OpenStack side of a stack as resources of the engine: the web-tier image in Glance, the key pair, the security
 * group, the Nova server and its floating IP (and, for a server that does not come up, its state and console tail,
 * {@code ServerConsole}), with the small REST client they share ({@code OpenStackApi}, Keystone in
 * {@code auth/}). Each resource class declares its outputs as typed keys and reads other resources' outputs through
 * typed references; the AWS outputs the web tier needs come in as references made by the caller, so it needs no AWS
 * resource class. It waits only through the engine's {@code Waiter}. It imports the engine and config (and the AWS SDK's
 * S3 client for an image source), nothing else of the CLI (one exception left: {@code auth/} throws the root package's
 * {@code ConfigurationException}).
 */
package dev.hybrid.cli.openstack;
