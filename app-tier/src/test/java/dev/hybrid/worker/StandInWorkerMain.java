package dev.hybrid.worker;

import java.time.Duration;

/** The worker's real entry point with the test double in place of the model, for child-process tests. */
public final class StandInWorkerMain {
    static final String DELAY_VARIABLE = "STAND_IN_FORWARD_PASS_MILLIS";

    private StandInWorkerMain() {}

    public static void main(String[] args) {
        Duration delay = Duration.ofMillis(Long.parseLong(System.getenv().getOrDefault(DELAY_VARIABLE, "0")));
        System.exit(WorkerMain.run(args, System.getenv(), options -> new StandInClassifier(delay), System.out, System.err));
    }
}
