/**
 * Everything the tiers share: the request and reply records on the queues and their JSON form
 * ({@link dev.hybrid.contract.Wire}), the error codes, the S3 object layout ({@link dev.hybrid.contract.S3Layout}),
 * the {@code HYBRID_*} environment variable names ({@link dev.hybrid.contract.EnvNames}), and the tag keys and roles
 * every cloud resource is found by ({@link dev.hybrid.contract.TagKeys}, {@link dev.hybrid.contract.Roles}).
 * Imports the JDK and Jackson only; no other module of the house, so every module may import it.
 */
package dev.hybrid.contract;
