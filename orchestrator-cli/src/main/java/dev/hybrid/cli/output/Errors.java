package dev.hybrid.cli.output;

import dev.hybrid.cli.config.ConfigurationException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Turns exceptions into one line that says what went wrong and what to do. */
public final class Errors {
    private Errors() {
    }

    public static int exitCode(Throwable e) {
        return e instanceof ConfigurationException || missingCredentials(e) ? ExitCodes.USAGE : ExitCodes.FAILED;
    }

    /** The SDK's credential chain found nothing: a configuration error, not a failure of the run. */
    static boolean missingCredentials(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SdkClientException && String.valueOf(t.getMessage()).contains("Unable to load credentials")) {
                return true;
            }
        }
        return false;
    }

    public static String oneLine(Throwable e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            var details = aws.awsErrorDetails();
            if (details.errorCode() == null) {
                return details.serviceName() + " answered HTTP " + aws.statusCode() + " without an AWS error: is the endpoint "
                        + "really " + details.serviceName() + "? (check AWS_ENDPOINT_URL_SQS/_S3 and --sqs-endpoint/--s3-endpoint)";
            }
            String hint = aws.statusCode() == 403 ? " (check the AWS credentials and their permissions)" : "";
            return details.serviceName() + " refused the request: " + details.errorCode() + " " + firstLine(details.errorMessage()) + hint;
        }
        if (missingCredentials(e)) {
            return "no AWS credentials found: run 'aws configure' (or set AWS_PROFILE), pass --aws PROFILE, "
                    + "or use --aws local for the emulators";
        }
        if (e instanceof SdkClientException) {
            String message = String.valueOf(e.getMessage());
            if (hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class)) {
                return "cannot reach AWS: " + firstLine(message) + " (is the endpoint right and running? see AWS_ENDPOINT_URL_SQS/_S3)";
            }
        }
        String message = firstLine(e.getMessage());
        return message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }
}
