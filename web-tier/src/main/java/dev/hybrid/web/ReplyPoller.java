package dev.hybrid.web;

import dev.hybrid.contract.ClassifyResponse;
import dev.hybrid.contract.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/** A few long-pollers on the response queue: receive ten at a time, hand out, delete in one batch. */
final class ReplyPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplyPoller.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final RequestBroker broker;
    private final int waitSeconds;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    ReplyPoller(SqsClient sqs, String queueUrl, RequestBroker broker, int threads, int waitSeconds) {
        this.waitSeconds = waitSeconds;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.broker = broker;
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::poll, "reply-poller-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
        }
    }

    ReplyPoller start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void poll() {
        while (running.get()) {
            try {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)).messages();
                List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
                for (Message message : messages) {
                    try {
                        broker.complete(Wire.response(message.body()));
                    } catch (Wire.MalformedMessageException e) {
                        log.warn("dropping a malformed reply {}: {}", message.messageId(), e.getMessage());
                    }
                    done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                            .receiptHandle(message.receiptHandle()).build());
                }
                if (!done.isEmpty()) {
                    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
                }
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                log.warn("reading replies failed, retrying in 1 s: {}", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
    }
}
