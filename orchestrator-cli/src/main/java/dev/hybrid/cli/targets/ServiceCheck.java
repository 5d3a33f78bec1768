package dev.hybrid.cli.targets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ExitCodes;
import dev.hybrid.cli.samples.SampleImages;
import dev.hybrid.cli.service.Canary;
import dev.hybrid.cli.service.WebHealthWait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How every {@code up} ends, whatever the target: the wait for the web tier's {@code /healthz} through its public URL,
 * then the canary (one image drawn for this run, classified through the same URL), recorded in {@code canary.json}
 * beside the stack's record for {@code status}. A canary that fails, or cannot run because the web tier never became
 * healthy, makes up exit {@link ExitCodes#CANARY_FAILED}; the stack's resources stay.
 */
final class ServiceCheck {
    /** How much of a failed server's console log up shows. */
    static final int CONSOLE_LINES = 20;

    /**
     * @param health      the wait for /healthz
     * @param canary      the canary, or null when it did not run ({@code skipped} says why)
     * @param consoleTail the tail of the server's console log when the wait failed on a cloud, else empty
     */
    record Outcome(WebHealthWait.Result health, Canary.Result canary, String skipped, List<String> consoleTail) {
        int exitCode() {
            if (canary != null) {
                return canary.ok() ? ExitCodes.OK : ExitCodes.CANARY_FAILED;
            }
            return health.failed() ? ExitCodes.FAILED : ExitCodes.OK;
        }

        /** {@code "health": {...}, "canary": {...} or null, "consoleTail": [...]} */
        void putInto(ObjectNode document) {
            document.putObject("health").put("outcome", health.outcome().name().toLowerCase(Locale.ROOT)).put("message", health.message());
            if (canary != null) {
                document.set("canary", canary.toJson());
            } else {
                document.putNull("canary");
                document.put("canarySkipped", skipped);
            }
            if (!consoleTail.isEmpty()) {
                consoleTail.forEach(document.putArray("consoleTail")::add);
            }
        }

        /** The health line, the console tail, and the canary's lines; a failure's one line goes to stderr. */
        void print(Console console) {
            console.out().printf("health: %s%n", health.message());
            if (!consoleTail.isEmpty()) {
                console.out().printf("the server's console log (last %d lines, secrets redacted):%n", consoleTail.size());
                consoleTail.forEach(line -> console.out().println("  | " + line));
            }
            if (canary != null) {
                canary.lines().forEach(console.out()::println);
            } else {
                console.out().printf("canary    not run: %s%n", skipped);
            }
            console.out().flush();
            if (canary != null && !canary.ok()) {
                console.err().println("hybrid: " + canary.failureLine());
            } else if (canary == null && health.failed()) {
                console.err().println("hybrid: " + health.message());
            }
            console.err().flush();
        }
    }

    private ServiceCheck() {
    }

    /**
     * Waits for health as {@code request} asks, then runs the canary unless told not to, and records it in {@code recordDirectory}.
     *
     * @param wait        the target's wait for /healthz (with its progress line, and on a cloud its watch on the server)
     * @param consoleTail the server's console log to show when the wait fails; empty where there is no server
     */
    static Outcome run(Target.Up request, URI web, Function<URI, WebHealthWait.Result> wait, java.util.function.Supplier<List<String>> consoleTail,
                       Path recordDirectory) {
        if (!request.waitHealthy()) {
            return new Outcome(new WebHealthWait.Result(WebHealthWait.Outcome.SKIPPED, "not waited for (--no-wait-healthy)"), null,
                    "the web tier's health was not waited for (--no-wait-healthy)", List.of());
        }
        WebHealthWait.Result health = wait.apply(web);
        List<String> tail = health.failed() ? consoleTail.get() : List.of();
        Canary.Result canary;
        if (!request.canary()) {
            return new Outcome(health, null, "--no-canary", tail);
        } else if (health.failed()) {
            canary = Canary.Result.failed(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), web, health.outcome() == WebHealthWait.Outcome.UNREACHABLE
                    ? Canary.Failure.UNREACHABLE : Canary.Failure.UNHEALTHY, null, health.message());
        } else {
            long seed = System.nanoTime();
            canary = new Canary().run(web, "canary-" + Long.toHexString(seed) + ".jpg", SampleImages.draw(seed, 64, 64, "jpg"),
                    request.canaryTimeout());
        }
        Canary.record(recordDirectory, canary);
        return new Outcome(health, canary, null, tail);
    }

    /** For status: the last canary in {@code recordDirectory}, in the document and as text lines. */
    static void statusInto(ObjectNode document, Path recordDirectory) {
        Optional<Canary.Result> last = Canary.last(recordDirectory);
        if (last.isPresent()) {
            document.set("canary", last.get().toJson());
        } else {
            document.putNull("canary");
        }
    }

    static List<String> statusLines(Path recordDirectory, String upCommand) {
        return Canary.last(recordDirectory).map(Canary.Result::lines)
                .orElse(List.of("canary    none recorded ('" + upCommand + "' runs one)"));
    }
}
