package dev.hybrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which workers the web tier's autoscaler runs is decided from the flags alone. */
class WebMainConfigTest {
    private static final String[] QUEUES_AND_BUCKETS = {"--request-queue-url", "http://127.0.0.1:1/q/requests",
            "--response-queue-url", "http://127.0.0.1:1/q/responses", "--input-bucket", "in", "--output-bucket", "out"};

    private static WebConfig config(String... extra) {
        WebMain main = new WebMain();
        String[] args = new String[QUEUES_AND_BUCKETS.length + extra.length];
        System.arraycopy(QUEUES_AND_BUCKETS, 0, args, 0, QUEUES_AND_BUCKETS.length);
        System.arraycopy(extra, 0, args, QUEUES_AND_BUCKETS.length, extra.length);
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    @Test
    void aLaunchTemplateMakesEc2TheWorkersAndTheStackTagsThem() {
        WebConfig config = config("--launch-template", "lt-0123456789abcdef0", "--stack", "prod");
        assertEquals("lt-0123456789abcdef0", config.launchTemplateId());
        assertEquals("prod", config.stack());
    }

    @Test
    void anEmptyLaunchTemplateMeansNone() {
        assertNull(config("--launch-template", "").launchTemplateId());
    }

    @Test
    void aLaunchTemplateNameInsteadOfAnIdIsRefusedWithAnExample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config("--launch-template", "hybrid-app"));
        assertEquals("--launch-template must be a launch template id like lt-0123456789abcdef0, not 'hybrid-app'", e.getMessage());
    }

    @Test
    void theUploadMemoryBudgetDefaultsToAQuarterOfTheHeapAndMustHoldOneLargestUpload() {
        assertEquals(0, config().maxBufferedBytes(), "0: derived from the heap at start");
        assertEquals(192L << 20, BodyBudget.defaultCapacity(11L << 20, 768L << 20));
        assertEquals(11L << 20, BodyBudget.defaultCapacity(11L << 20, 32L << 20), "never less than one largest upload");
        assertEquals(50_000_000, config("--max-buffered-bytes", "50000000").maxBufferedBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config("--max-buffered-bytes", "1000000"));
        assertEquals("--max-buffered-bytes 1000000 cannot hold one upload of the largest size (11534336 bytes: --max-image-bytes plus "
                + "1 MiB of form framing)", e.getMessage());
    }
}
