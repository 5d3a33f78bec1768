package dev.hybrid.cli.targets;

import dev.hybrid.cli.aws.WebTierCredentials;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.cli.service.WebHealthWait;
import java.net.URI;
import java.util.Optional;

/**
 * One up's walk over the stack's cloud resources, for a target that starts a web tier of its own after it: the walk,
 * the web-tier key it created, and the wait for health as the command asked. Closing it forgets the key.
 */
public interface StackUp extends AutoCloseable {
    /** The engine's up, printed as it goes. */
    WalkReport walk();

    /** The web-tier key made by the walk; IAM shows a secret only when it makes the key. */
    Optional<WebTierCredentials> createdKey();

    WebHealthWait.Result waitHealthy(URI web);

    /** What the command asked of up (the health wait, the canary). */
    Target.Up request();

    @Override
    default void close() {
    }
}
