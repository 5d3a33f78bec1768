package dev.hybrid.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hybrid.contract.WorkerLimits;
import dev.hybrid.worker.model.ImageClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code threads} loops, each long-polling the request queue and processing what it receives.
 * Stopping ends the polls before the process may exit, then lets every batch in hand finish. An
 * open long poll cannot be cut short from the client side: a process that dies with one open
 * leaves it registered on the queue, which hands the next request to it, and that request stays
 * invisible for the whole visibility timeout. So no new poll starts after the stop, the open one
 * is waited for (at most the receive wait, 20 s), and whatever it returns goes straight back to
 * the queue with visibility 0, for another worker to take at once.
 */
final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final WorkerSettings settings;
    private final WorkerAwsClients aws;
    /** Receives before the queue moves a request to the dead letters; the last one gets an error reply if it fails. */
    private final int maxReceives;
    private final ExecutorService io;
    private final BatchProcessor processor;
    private final VisibilityHeartbeat heartbeat;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong lastMessageAt = new AtomicLong(System.currentTimeMillis());
    private final CountDownLatch finished;
    /** Counted down by each loop's receiver once it will never poll again. */
    private final CountDownLatch pollsEnded;
    private final Object batches = new Object();
    private int batchesInHand;

    Worker(WorkerSettings settings, WorkerAwsClients aws, ImageClassifier classifier) {
        this(settings, aws, classifier, QueueLimits.of(settings, aws));
    }

    Worker(WorkerSettings settings, WorkerAwsClients aws, ImageClassifier classifier, QueueLimits limits) {
        this.settings = settings;
        this.aws = aws;
        this.maxReceives = limits.maxReceives();
        this.io = Executors.newFixedThreadPool(ioThreads(settings), daemon("worker-s3-"));
        this.processor = new BatchProcessor(settings, aws, classifier, io);
        this.heartbeat = new VisibilityHeartbeat(aws.sqs(), settings.requestQueueUrl(), limits.visibilityTimeout());
        this.finished = new CountDownLatch(settings.threads());
        this.pollsEnded = new CountDownLatch(settings.threads());
    }

    /** Enough for one batch's S3 writes (two per image) and the next batch's claim-check reads in every loop. */
    static int ioThreads(WorkerSettings settings) {
        return settings.threads() * 3 * settings.batchSize();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The visibility timeout the heartbeat renews and the receives before the dead-letter queue: the settings, or
     * else the request queue's own, read in one call. Where the timeout is set (EC2, whose role may not read queue
     * attributes) and the receive limit is not, the stack's limit is assumed.
     */
    record QueueLimits(Duration visibilityTimeout, int maxReceives) {
        static QueueLimits of(WorkerSettings settings, WorkerAwsClients aws) {
            if (settings.visibilityTimeout() != null) {
                return new QueueLimits(settings.visibilityTimeout(),
                        settings.maxReceives() != null ? settings.maxReceives() : WorkerLimits.DEFAULT_MAX_RECEIVES);
            }
            Map<QueueAttributeName, String> attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(settings.requestQueueUrl())
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY)).attributes();
            String seconds = attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT);
            Duration visibility = Duration.ofSeconds(seconds == null ? 30 : Long.parseLong(seconds));
            int maxReceives = settings.maxReceives() != null ? settings.maxReceives()
                    : redriveMaxReceives(attributes.get(QueueAttributeName.REDRIVE_POLICY));
            return new QueueLimits(visibility, maxReceives);
        }

        /** The redrive policy's {@code maxReceiveCount}; the stack's default without a policy or with one that does not parse. */
        static int redriveMaxReceives(String policy) {
            if (policy == null || policy.isBlank()) {
                return WorkerLimits.DEFAULT_MAX_RECEIVES;
            }
            try {
                int count = new ObjectMapper().readTree(policy).path("maxReceiveCount").asInt(0);
                return count > 0 ? count : WorkerLimits.DEFAULT_MAX_RECEIVES;
            } catch (java.io.IOException e) {
                return WorkerLimits.DEFAULT_MAX_RECEIVES;
            }
        }
    }

    Worker start() {
        for (int i = 0; i < settings.threads(); i++) {
            new Loop(i).start();
        }
        return this;
    }

    /** Blocks until every loop has ended: after {@link #stop} or after the idle period. */
    void awaitFinished() throws InterruptedException {
        finished.await();
    }

    /**
     * Stops receiving, waits for the open long polls to return (what they bring is handed back at once) and for
     * the batches in hand to finish; returns false if the grace ran out first.
     */
    boolean stop(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        stopping.set(true);
        if (!pollsEnded.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        synchronized (batches) {
            while (batchesInHand > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                batches.wait(left);
            }
        }
        return true;
    }

    int loopsRunning() {
        return (int) finished.getCount();
    }

    long imagesDone() {
        return processor.imagesDone();
    }

    long malformedDropped() {
        return processor.malformedDropped();
    }

    /**
     * Three threads per loop, one batch in each stage: a receiver long-polls for the next batch
     * while the loop thread puts the current one through the model, and a finisher does the S3
     * writes, the replies and the deletes of the previous one. So the model waits neither for a
     * receive nor for a batch being stored and answered, and at most three batches per loop are in
     * hand. The receiver takes a batch (and starts its heartbeat) as soon as it arrives, so stopping
     * finishes it like any other.
     */
    private record Received(List<Message> messages, AutoCloseable beat, long atMillis) {}

    private static final Received END = new Received(List.of(), () -> { }, 0);

    private final class Loop implements Runnable {
        private final int index;
        private final ExecutorService finisher;
        private Future<?> finishing = CompletableFuture.completedFuture(null);
        /** Batches received and not yet taken by the loop thread; the receiver's end is {@link #END}. */
        private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        /** One receive ahead of the model at most. */
        private final Semaphore receiveAhead = new Semaphore(1);

        Loop(int index) {
            this.index = index;
            finisher = Executors.newSingleThreadExecutor(daemon("worker-finish-" + index + "-"));
        }

        void start() {
            new Thread(this::receiveLoop, "worker-receive-" + index).start();
            new Thread(this, "worker-loop-" + index).start();
        }

        private void receiveLoop() {
            try {
                while (!stopping.get()) {
                    receiveAhead.acquireUninterruptibly();
                    if (stopping.get()) {
                        break;
                    }
                    List<Message> messages = receive();
                    if (messages == null) {
                        break;
                    }
                    if (messages.isEmpty()) {
                        receiveAhead.release();
                        if (idleTooLong()) {
                            log.info("no requests for {} s: exiting", settings.idleExit().toSeconds());
                            stopping.set(true);
                        }
                        continue;
                    }
                    if (!takeBatch()) {
                        release(messages);
                        break;
                    }
                    long now = System.currentTimeMillis();
                    lastMessageAt.set(now);
                    received.add(new Received(messages, heartbeat.keepInvisible(messages), now));
                }
            } finally {
                pollsEnded.countDown();
                received.add(END);
            }
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Received batch = takeReceived();
                    if (batch == END) {
                        break;
                    }
                    receiveAhead.release();
                    List<List<Message>> parts = isolateRedelivered(batch.messages());
                    AtomicInteger partsLeft = new AtomicInteger(parts.size());
                    Runnable partDone = () -> {
                        if (partsLeft.decrementAndGet() == 0) {
                            endBatch(batch.beat());
                        }
                    };
                    for (List<Message> part : parts) {
                        BatchProcessor.Classified classified;
                        try {
                            classified = processor.classify(part, batch.atMillis());
                        } catch (RuntimeException | Error e) {
                            failed(part, e);
                            partDone.run();
                            continue;
                        }
                        awaitFinishing();
                        finishing = finisher.submit(() -> {
                            try {
                                processor.finish(classified);
                            } catch (RuntimeException | Error e) {
                                failed(part, e);
                            } finally {
                                partDone.run();
                            }
                        });
                    }
                }
            } finally {
                awaitFinishing();
                finisher.shutdown();
                finished.countDown();
            }
        }

        private Received takeReceived() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return received.take();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void awaitFinishing() {
            boolean interrupted = false;
            while (true) {
                try {
                    finishing.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    log.error("finishing a batch failed: {}", e.getCause().toString());
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * The requests stay on the queue and come back, each then in a batch of its own; those on their last delivery
         * are answered with an error first, since the queue moves them to the dead letters next.
         */
        private void failed(List<Message> messages, Throwable e) {
            log.error("batch of {} failed, left for redelivery: {}", messages.size(), e.toString());
            try {
                processor.answerLastDeliveries(messages, e, maxReceives);
            } catch (RuntimeException replyFailure) {
                log.warn("could not answer the requests on their last delivery: {}", replyFailure.toString());
            }
        }

        private void endBatch(AutoCloseable beat) {
            try {
                beat.close();
            } catch (Exception e) {
                log.warn("could not stop a heartbeat: {}", e.toString());
            }
            lastMessageAt.set(System.currentTimeMillis());
            dropBatch();
        }

        /** Null when the loop was told to stop while it waited. */
        private List<Message> receive() {
            try {
                return aws.sqs().receiveMessage(b -> b.queueUrl(settings.requestQueueUrl())
                        .maxNumberOfMessages(settings.batchSize())
                        .waitTimeSeconds(waitSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            } catch (RuntimeException e) {
                if (stopping.get()) {
                    return null;
                }
                log.warn("receive failed, retrying in 1 s: {}", e.getMessage());
                sleepQuietly(Duration.ofSeconds(1));
                return List.of();
            }
        }
    }

    /**
     * The requests received for the first time stay together; each one received before goes through on its own. A
     * request is received again only when its batch failed or its worker died, so it may be the cause: alone, it can
     * take no other request down with it again.
     */
    static List<List<Message>> isolateRedelivered(List<Message> messages) {
        List<Message> fresh = new ArrayList<>();
        List<List<Message>> parts = new ArrayList<>();
        for (Message message : messages) {
            if (BatchProcessor.receiveCount(message) > 1) {
                parts.add(List.of(message));
            } else {
                fresh.add(message);
            }
        }
        if (!fresh.isEmpty()) {
            parts.add(0, fresh);
        }
        return parts;
    }

    private boolean takeBatch() {
        synchronized (batches) {
            if (stopping.get()) {
                return false;
            }
            batchesInHand++;
            return true;
        }
    }

    private void dropBatch() {
        synchronized (batches) {
            batchesInHand--;
            batches.notifyAll();
        }
    }

    /** Makes messages received after a stop visible again at once, for another worker to take. */
    private void release(List<Message> messages) {
        log.info("stopping: handing {} request(s) received by the last poll back to the queue", messages.size());
        try {
            aws.sqs().changeMessageVisibilityBatch(b -> b.queueUrl(settings.requestQueueUrl()).entries(messages.stream()
                    .map(m -> software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id(m.messageId()).receiptHandle(m.receiptHandle()).visibilityTimeout(0).build())
                    .toList()));
        } catch (RuntimeException e) {
            log.warn("could not hand {} requests back; they return after the visibility timeout: {}", messages.size(), e.getMessage());
        }
    }

    /** The long poll, cut short when the idle period ends sooner, so that idle exit is not up to 20 s late. */
    private int waitSeconds() {
        if (!settings.idleExitEnabled()) {
            return settings.receiveWaitSeconds();
        }
        long leftMillis = settings.idleExit().toMillis() - (System.currentTimeMillis() - lastMessageAt.get());
        long leftSeconds = Math.max(1, (leftMillis + 999) / 1000);
        return (int) Math.min(settings.receiveWaitSeconds(), leftSeconds);
    }

    /** Idle means no batch in hand in any loop, and none finished within the idle period. */
    private boolean idleTooLong() {
        synchronized (batches) {
            return settings.idleExitEnabled() && batchesInHand == 0
                    && System.currentTimeMillis() - lastMessageAt.get() >= settings.idleExit().toMillis();
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        heartbeat.close();
        io.shutdown();
    }
}
