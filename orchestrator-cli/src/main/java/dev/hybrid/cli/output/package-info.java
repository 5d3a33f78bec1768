/**
 * What the CLI prints and reads: the {@link dev.hybrid.cli.output.Console} (stdout, stderr, {@code -o json},
 * verbosity, environment, terminal, stack name), the text tables and the one JSON document of a command, the progress
 * lines and bars, the exit codes, the turning of errors into one line, and the bench's figures and timeline charts.
 * May import {@code engine} (the walk's reports and progress events) and {@code config}'s ConfigurationException and StackName only.
 */
package dev.hybrid.cli.output;
