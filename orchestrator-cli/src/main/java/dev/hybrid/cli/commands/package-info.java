/**
 * The picocli commands ({@code up}, {@code plan}, {@code status}, {@code teardown}, {@code demo}, {@code image},
 * {@code classify}, {@code bench}, {@code init}) and their option mixins. A command parses its options, asks
 * {@link dev.hybrid.cli.targets.Targets} for the target and calls it; it holds no logic of where or how a stack runs.
 * May import {@code targets}, {@code output}, {@code service}, {@code config} and {@code samples}; {@code bench}
 * also finds the tiers' jars through {@code local}'s layout. A command knows its parent only as an
 * {@link dev.hybrid.cli.output.ConsoleSource}. Nothing imports this package but {@link dev.hybrid.cli.HybridMain}.
 */
package dev.hybrid.cli.commands;
