/**
 * The autoscaler: the scaling policy and controller (pure decisions on a snapshot of backlog and fleet), the demand
 * and backlog sources, and the compute providers that start and stop workers (local processes, EC2 instances from
 * the stack's launch template, private base capacity), with the workers' class-data archive and environment.
 * May import {@code dev.hybrid.contract}, the AWS SDK (EC2, SQS) and SLF4J; never {@code dev.hybrid.web} (the HTTP
 * side uses this package, not the other way round), the app tier or the orchestrator.
 */
package dev.hybrid.web.scaling;
