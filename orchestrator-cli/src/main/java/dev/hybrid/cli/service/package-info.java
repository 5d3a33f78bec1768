/**
 * HTTP clients of the running service: uploads to the web tier ({@link dev.hybrid.cli.service.WebTierClient},
 * {@link dev.hybrid.cli.service.BoundedUploads}), its health and metrics and the queues' depth
 * ({@link dev.hybrid.cli.service.StackProbes}), and the wait for a new web server's /healthz
 * ({@link dev.hybrid.cli.service.WebHealthWait}), and the canary that ends every up and its record
 * ({@link dev.hybrid.cli.service.Canary}). May import {@code engine} (the waiter, progress bars) only.
 */
package dev.hybrid.cli.service;
