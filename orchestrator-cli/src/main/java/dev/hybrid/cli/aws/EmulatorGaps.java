package dev.hybrid.cli.aws;

import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Calls that the emulators may not implement. Against them an unimplemented call is skipped with a
 * debug line; against real AWS every failure propagates, so a real bucket never ends up half-configured.
 */
final class EmulatorGaps {
    private static final Logger log = LoggerFactory.getLogger(EmulatorGaps.class);

    private EmulatorGaps() {
    }

    static <T> Optional<T> call(AwsTarget target, String operation, Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (AwsServiceException e) {
            if (target.local() && isUnimplemented(e)) {
                log.debug("the local emulator does not implement {}; skipped ({})", operation, e.awsErrorDetails().errorCode());
                return Optional.empty();
            }
            throw e;
        }
    }

    static boolean run(AwsTarget target, String operation, Runnable call) {
        return call(target, operation, () -> {
            call.run();
            return Boolean.TRUE;
        }).isPresent();
    }

    private static boolean isUnimplemented(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
        return e.statusCode() == 501 || e.statusCode() == 405 || code.equals("NotImplemented") || code.equals("UnsupportedOperation");
    }
}
