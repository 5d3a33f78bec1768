package dev.hybrid.cli.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.localaws.MotoServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SqsQueue against moto, which says "no such queue" the query protocol's way: the SDK raises a
 * plain SqsException with code AWS.SimpleQueueService.NonExistentQueue, not QueueDoesNotExistException.
 */
class MotoSqsQueueTest {
    private static final StackContext CONTEXT = new StackContext("mq", "d1");
    private MotoServer moto;
    private MotoClients aws;

    @BeforeEach
    void start() {
        moto = MotoServer.shared();
        moto.reset();
        aws = new MotoClients(moto.endpoint());
    }

    @AfterEach
    void close() {
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void aMissingQueueIsNotFoundAndDeletingItAgainIsQuiet() {
        SqsQueue queue = new SqsQueue(aws.sqs, QueueSpec.response());
        assertEquals(List.of(), queue.discover(CONTEXT), "nothing there yet: GetQueueUrl's not-found means absent");

        Observed created = queue.create(CONTEXT);
        assertEquals(List.of(created.physicalId()), queue.discover(CONTEXT).stream().map(Observed::physicalId).toList());

        queue.delete(created, CONTEXT);
        queue.delete(created, CONTEXT); // already gone: quiet
        assertEquals(List.of(), queue.discover(CONTEXT));
    }
}
