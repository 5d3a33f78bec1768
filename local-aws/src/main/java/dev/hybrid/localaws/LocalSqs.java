package dev.hybrid.localaws;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ, an SQS-compatible server, on 127.0.0.1 (or another local address). Port 0 picks a free port. */
public final class LocalSqs implements AutoCloseable {
    private final SQSRestServer server;
    private final int port;

    private final String host;

    private LocalSqs(SQSRestServer server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    public static LocalSqs start(int port) {
        return start(LocalAws.LOOPBACK, port);
    }

    /** @param host the local address to listen on, e.g. a bridge that VMs on this machine reach */
    public static LocalSqs start(String host, int port) {
        SQSRestServer server = SQSRestServerBuilder
                .withInterface(host)
                .withPort(port)
                .withAWSRegion(LocalAws.REGION)
                .withAWSAccountId(LocalAws.ACCOUNT_ID)
                .start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        return new LocalSqs(server, host, bound);
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://" + host + ":" + port);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
