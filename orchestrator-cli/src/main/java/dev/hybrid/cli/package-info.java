/**
 * The {@code hybrid} command line: {@link dev.hybrid.cli.HybridMain}, the entry point, alone: it parses the options
 * common to every command and hands each command its {@link dev.hybrid.cli.output.Console}. The one "bad input"
 * error (exit code 2) that every package may throw is {@link dev.hybrid.cli.config.ConfigurationException}.
 * Beneath it: {@code commands} (what the user types), {@code targets} (where a stack runs), the engine and the
 * resources of each cloud ({@code engine}, {@code aws}, {@code openstack}), {@code local} (processes on this
 * machine), {@code config} (hybrid.yaml and clouds.yaml), {@code output} (what is printed) and {@code service} (the
 * HTTP clients of the running service). HybridMain imports {@code commands} and {@code output}; nothing imports
 * HybridMain: picocli hands it to the commands as their parent, which they know only as an
 * {@link dev.hybrid.cli.output.ConsoleSource}.
 */
package dev.hybrid.cli;
