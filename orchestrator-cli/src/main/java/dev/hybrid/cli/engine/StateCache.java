package dev.hybrid.cli.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hybrid.contract.EnvNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <dir>/<stack>/state.json}: a cache of the deployment id and outputs, so status and the
 * tiers need not ask the clouds. Losing it loses nothing, because tags are the truth.
 */
public final class StateCache {
    private static final Logger log = LoggerFactory.getLogger(StateCache.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public StateCache(Path directory, String stack) {
        this.file = directory.resolve(stack).resolve("state.json");
    }

    /** {@code $HYBRID_STATE_DIR}, else {@code $HYBRID_HOME/.hybrid}, else {@code ./.hybrid}. */
    public static Path defaultDirectory(Map<String, String> env) {
        if (env.get(EnvNames.STATE_DIR) != null) {
            return Path.of(env.get(EnvNames.STATE_DIR));
        }
        return env.get(EnvNames.HOME) != null ? Path.of(env.get(EnvNames.HOME), ".hybrid") : Path.of(".hybrid");
    }

    public Path file() {
        return file;
    }

    /** Empty when there is no cache, or an unreadable one (then it is ignored, with a warning). */
    public Optional<StackState> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            log.warn("ignoring the unreadable state cache {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    public void write(String stack, String deploymentId, Map<String, Map<String, String>> outputs) {
        StackState state = new StackState(stack, deploymentId, Instant.now().toString(), outputs);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), "state", ".tmp");
            trySetOwnerOnly(temporary);
            JSON.writeValue(temporary.toFile(), state);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state cache " + file + ": " + e.getMessage(), e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete the state cache {}: {}", file, e.getMessage());
        }
    }

    private static void trySetOwnerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the cache holds no secrets anyway
        }
    }
}
