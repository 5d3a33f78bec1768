package dev.hybrid.cli.output;

/**
 * What a command's parent gives it: the {@link Console} for the options it parsed. Commands name their parent by this
 * type, so that they need not know the entry point.
 */
public interface ConsoleSource {
    Console console();
}
