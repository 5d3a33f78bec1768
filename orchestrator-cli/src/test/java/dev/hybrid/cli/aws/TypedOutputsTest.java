package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hybrid.cli.engine.Action;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Graph;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.Ref;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.TestOutputs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Outputs read through typed references: by name in the walk's outputs, unknown until made, and the source of dependencies. */
class TypedOutputsTest {
    private static final String DLQ_ARN = "arn:aws:sqs:us-east-1:000000000000:hybrid-s1-dlq-d1";

    private final SqsQueue request = new SqsQueue(null, QueueSpec.request(120, SqsQueue.keyFor("dlq")));

    @Test
    void aReferenceReadsTheOutputRecordedUnderItsNameAndIsEmptyWhenTheResourceHasNone() {
        Ref<String> url = SqsQueue.at("request").get(SqsQueue.URL);
        Map<String, Map<String, String>> outputs = Map.of("sqs:request", Map.of("url", "http://q/request", "arn", "arn:q"));

        assertEquals(Optional.of("http://q/request"), url.in(outputs));
        assertEquals(Optional.empty(), SqsQueue.at("response").get(SqsQueue.URL).in(outputs));
        assertEquals("sqs:request.url", url.toString());
    }

    @Test
    void requireNamesTheMissingOutput() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new StackContext("s1", "d1").require(AppTierRole.ADDRESS.get(AppTierRole.PROFILE_ARN)));

        assertEquals("iam:app-tier has no instanceProfileArn yet", e.getMessage());
    }

    @Test
    void whatAResourceReadsIsWhatItDependsOn() {
        assertEquals(Set.of(SqsQueue.at("dlq").get(SqsQueue.ARN)), request.reads());
        Graph graph = Graph.of(List.of(new SqsQueue(null, QueueSpec.deadLetter()), request));

        assertEquals(Set.of("sqs:dlq"), graph.dependenciesOf("sqs:request"));
        assertEquals(Set.of("sqs:request", "sqs:response", "s3:input", "s3:output", "s3:artifacts"),
                new AppTierRole(null, null).dependsOn());
    }

    @Test
    void aPlanWhoseDeadLetterQueueIsYetToBeMadeSaysItsArnIsKnownAfterApply() {
        Map<String, String> attributes = Map.of("VisibilityTimeout", "120", "ReceiveMessageWaitTimeSeconds", "20",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + DLQ_ARN + "\",\"maxReceiveCount\":5}");
        Observed existing = new Observed("http://q/request", "d1", attributes, Map.of());
        StackContext plan = new StackContext("s1", "d1");

        Diff unknown = request.compare(existing, plan);

        assertEquals(Action.UPDATE, unknown.action());
        assertTrue(unknown.reason().contains("RedrivePolicy sqs:dlq.arn known after apply"), unknown.reason());
        TestOutputs.with(plan, Map.of("sqs:dlq", Map.of("arn", DLQ_ARN)));
        assertEquals(Action.KEEP, request.compare(existing, plan).action(), "once the ARN is known it is compared");
    }

    @Test
    void anIamPolicyNamingQueuesYetToBeMadeIsKnownAfterApply() {
        Observed role = new Observed("hybrid-s1-app-d1", "d1", Map.of(AppTierRole.POLICY, "none", AppTierRole.PROFILE, "attached",
                AppTierRole.TRUST, String.valueOf(PolicyDocuments.parse(PolicyDocuments.ec2Trust()))), Map.of());

        Diff diff = new AppTierRole(null, null).compare(role, new StackContext("s1", "d1"));

        assertEquals(Action.UPDATE, diff.action());
        assertTrue(diff.reason().startsWith("inline policy: sqs:request.arn, sqs:response.arn, s3:input.name, s3:output.name, "
                + "s3:artifacts.name known after apply"), diff.reason());
    }
}
