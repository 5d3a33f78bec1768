/**
 * HTTP clients of the running service: uploads to the web tier ({@link dev.hybrid.cli.service.WebTierClient},
 * {@link dev.hybrid.cli.service.BoundedUploads}), its health and metrics and the queues' depth
 * ({@link dev.hybrid.cli.service.StackProbes}), and the wait for a new web server's /healthz
 * ({@link dev.hybrid.cli.service.WebHealthWait}). May import {@code engine} (progress bars) only.
 */
package dev.hybrid.cli.service;
