/**
 * The AWS emulators of local mode and of the tests: ElasticMQ for SQS and S3Proxy (on a file system) for S3, each
 * started in-process on a loopback port, with the fixed public credentials they accept.
 * May import ElasticMQ and S3Proxy only, no module of the house; local mode and the tests import it.
 */
package dev.hybrid.localaws;
