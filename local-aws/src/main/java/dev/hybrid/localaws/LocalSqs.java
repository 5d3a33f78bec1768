package dev.hybrid.localaws;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ, an SQS-compatible server, on 127.0.0.1. Port 0 picks a free port. */
public final class LocalSqs implements AutoCloseable {
    private final SQSRestServer server;
    private final int port;

    private LocalSqs(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static LocalSqs start(int port) {
        SQSRestServer server = SQSRestServerBuilder
                .withInterface("127.0.0.1")
                .withPort(port)
                .withAWSRegion(LocalAws.REGION)
                .withAWSAccountId(LocalAws.ACCOUNT_ID)
                .start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        return new LocalSqs(server, bound);
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
