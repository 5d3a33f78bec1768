package dev.hybrid.cli.aws;

import dev.hybrid.cli.engine.Waiter;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Retries an AWS call on errors that pass with time (IAM propagation, a security group still in
 * use by terminating instances), doubling the pause up to a cap: a retry of a call, where the
 * {@link Waiter} waits for a state. It sleeps through the waiter's clock; tests pass a sleeper
 * that only records.
 */
public final class Backoff {
    /** Pauses the calling thread; tests pass one that only records. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(Backoff.class);

    private final int attempts;
    private final Duration first;
    private final Duration cap;
    private final Sleeper sleeper;

    public Backoff(int attempts, Duration first, Duration cap, Sleeper sleeper) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.attempts = attempts;
        this.first = first;
        this.cap = cap;
        this.sleeper = sleeper;
    }

    /** IAM changes usually reach EC2 within 10 s, occasionally within a minute: 1+2+4+8+10*5 s. */
    public static Backoff iamPropagation() {
        return new Backoff(10, Duration.ofSeconds(1), Duration.ofSeconds(10), Waiter.SYSTEM::sleep);
    }

    /** Terminating instances release their security group within a few minutes. */
    public static Backoff dependencies() {
        return new Backoff(30, Duration.ofSeconds(2), Duration.ofSeconds(15), Waiter.SYSTEM::sleep);
    }

    public <T> T call(String what, Predicate<AwsServiceException> retryable, Supplier<T> call) {
        Duration pause = first;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                if (attempt >= attempts || !retryable.test(e)) {
                    throw e;
                }
                log.info("{}: {} (attempt {} of {}); retrying in {} ms", what, AwsErrors.code(e), attempt, attempts, pause.toMillis());
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting to retry " + what, interrupted);
                }
                pause = pause.multipliedBy(2).compareTo(cap) > 0 ? cap : pause.multipliedBy(2);
            }
        }
    }

    public void run(String what, Predicate<AwsServiceException> retryable, Runnable call) {
        call(what, retryable, () -> {
            call.run();
            return null;
        });
    }
}
