package dev.hybrid.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record keeps what the web tier was started with, and still reads a record written before it did. */
class LocalRecordTest {
    @TempDir
    Path dir;

    @Test
    void theWebTiersSettingsSurviveTheRecord() {
        LocalStack.WebOptions web = new LocalStack.WebOptions(null, 3, 1, 0, "name-label", "file:m.pt", null, "imagenet", 4096L);
        LocalRecord record = new LocalRecord("s1", "http://127.0.0.1:8080", 11, 12, 8080, "http://127.0.0.1:1", "http://127.0.0.1:2", 5, web);
        record.write(dir.resolve("local.json"));
        assertEquals(record, LocalRecord.read(dir.resolve("local.json")).orElseThrow());
    }

    @Test
    void aRecordWithoutSettingsReadsWithNone() throws Exception {
        Files.writeString(dir.resolve("local.json"), "{\"stack\":\"s1\",\"url\":\"http://127.0.0.1:8080\",\"webPid\":11,\"emulatorPid\":12,"
                + "\"webPort\":8080,\"sqsEndpoint\":\"http://127.0.0.1:1\",\"s3Endpoint\":\"http://127.0.0.1:2\",\"startedAtMillis\":5}");
        assertNull(LocalRecord.read(dir.resolve("local.json")).orElseThrow().web());
    }
}
