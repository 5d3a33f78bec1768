package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.engine.DeploymentIds;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.ProgressListener;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Walker;
import dev.hybrid.cli.engine.WalkReport;
import dev.hybrid.localaws.LocalAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Prints how long the walks take against the emulators; asserts only correctness. Not part of the
 * default test run: {@code mvn -pl orchestrator-cli test -Dtest=EngineBenchmark}.
 */
class EngineBenchmark {
    private static final int ROUNDS = 10;

    @Test
    void walkTimes() {
        try (LocalAws local = LocalAws.startInMemory();
             AwsClients aws = new AwsClients(AwsTarget.local(local.sqsEndpoint(), local.s3Endpoint()));
             Walker walker = new Walker(8, ProgressListener.NONE)) {
            Graph graph = Graph.of(AwsStack.resources(aws));
            // One throwaway cycle so that class loading and first connections are not measured.
            String warmup = DeploymentIds.newId();
            walker.up(graph, new StackContext("warmup", warmup));
            walker.teardown(graph, new StackContext("warmup", warmup));

            List<Long> firstUp = new ArrayList<>();
            List<Long> secondUp = new ArrayList<>();
            List<Long> plan = new ArrayList<>();
            List<Long> teardown = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                StackContext context = new StackContext("bench" + round, DeploymentIds.newId());
                WalkReport created = walker.up(graph, context);
                assertTrue(created.succeeded(), created.toString());
                firstUp.add(created.elapsed().toMillis());
                WalkReport again = walker.up(graph, context);
                assertFalse(again.mutates());
                secondUp.add(again.elapsed().toMillis());
                plan.add(walker.plan(graph, context).elapsed().toMillis());
                WalkReport removed = walker.teardown(graph, context);
                assertTrue(removed.succeeded(), removed.toString());
                teardown.add(removed.elapsed().toMillis());
            }
            print("first up (6 creates)", firstUp);
            print("second up (no-op)", secondUp);
            print("plan (no changes)", plan);
            print("teardown", teardown);
        }
    }

    private static void print(String what, List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "BENCH %-22s median %5d ms  min %5d ms  max %5d ms  (%d rounds, emulators on loopback)%n",
                what, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }
}
