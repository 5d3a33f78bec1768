/**
 * The web tier's HTTP side: {@link dev.hybrid.web.WebMain} parses the options and starts a
 * {@code RunningWebTier}; uploads are sniffed, sent to the request queue (inline or by claim check), matched with
 * their replies by the reply pollers, cached in memory and in S3, and answered; health and Prometheus metrics.
 * May import {@code dev.hybrid.contract}, {@code dev.hybrid.web.scaling}, Javalin/Jetty, the AWS SDK, picocli and
 * SLF4J; never the app tier ({@code dev.hybrid.worker}) or the orchestrator ({@code dev.hybrid.cli}).
 */
package dev.hybrid.web;
