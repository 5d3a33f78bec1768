/**
 * The reconciliation engine: a {@link dev.hybrid.cli.engine.Resource} finds itself by tag, creates, updates and deletes
 * itself; a {@link dev.hybrid.cli.engine.Graph} orders resources by the {@link dev.hybrid.cli.engine.Ref}s they read
 * (typed {@link dev.hybrid.cli.engine.OutputKey}s of other resources); the {@link dev.hybrid.cli.engine.Walker} runs
 * plan, up, status and teardown as one walk; the {@link dev.hybrid.cli.engine.Waiter} is the one way to wait for a
 * cloud; the {@link dev.hybrid.cli.engine.StateCache} records outputs by name. It knows no cloud: it imports the JDK,
 * Jackson and SLF4J, and nothing else of the CLI.
 */
package dev.hybrid.cli.engine;
