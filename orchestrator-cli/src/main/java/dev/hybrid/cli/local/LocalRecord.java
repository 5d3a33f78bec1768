package dev.hybrid.cli.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a running local stack is made of: the pids to stop and the ports it took, and what its web tier was started
 * with ({@code web}; null in a record of an older version). Written when {@code up --local} has started everything;
 * teardown stops exactly these pids and nothing else.
 */
public record LocalRecord(String stack, String url, long webPid, long emulatorPid, int webPort, String sqsEndpoint,
                          String s3Endpoint, long startedAtMillis, LocalStack.WebOptions web) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static Optional<LocalRecord> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), LocalRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (" + e.getMessage() + "); remove it if no local stack runs", e);
        }
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean webAlive() {
        return ChildProcess.alive(webPid);
    }

    public boolean emulatorAlive() {
        return ChildProcess.alive(emulatorPid);
    }
}
