/**
 * The OpenStack side of a stack as resources of the engine: the web-tier image in Glance, the key pair, the security
 * group, the Nova server and its floating IP, with the small REST client they share ({@code OpenStackApi}, Keystone in
 * {@code auth/}). Each resource class declares its outputs as typed keys and reads other resources' outputs through
 * typed references. It imports the engine and config (and {@code aws/} only for the S3 client of an image source),
 * nothing else of the CLI.
 */
package dev.hybrid.cli.openstack;
