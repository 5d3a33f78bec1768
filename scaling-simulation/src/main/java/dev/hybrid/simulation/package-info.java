/**
 * The autoscaler on virtual time: a seeded request burst against simulated EC2 and local workers, driven through the
 * web tier's real {@code ScalingController} and {@code ScalingPolicy}, printed as a table or JSON; what
 * {@code hybrid bench --simulate} runs ({@link dev.hybrid.simulation.SimulationMain}). It is not part of the web
 * tier's jar. May import {@code dev.hybrid.web.scaling} and picocli; nothing runs it in production.
 */
package dev.hybrid.simulation;
