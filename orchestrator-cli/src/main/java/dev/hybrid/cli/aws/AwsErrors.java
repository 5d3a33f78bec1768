package dev.hybrid.cli.aws;

import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Error codes that IAM and EC2 return for conditions the resources handle by name. */
final class AwsErrors {
    private AwsErrors() {
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
    }

    static boolean is(AwsServiceException e, String... codes) {
        String code = code(e);
        for (String wanted : codes) {
            if (wanted.equals(code)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The errors that a just-created role, user or instance profile causes until IAM has copied it
     * everywhere: EC2 does not know the profile yet, or IAM refuses a principal it just made.
     */
    static boolean isIamPropagation(AwsServiceException e) {
        String message = String.valueOf(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage())
                .toLowerCase(Locale.ROOT);
        if (is(e, "InvalidParameterValue", "InvalidParameterCombination")) {
            return message.contains("iam instance profile") || message.contains("iaminstanceprofile");
        }
        if (is(e, "MalformedPolicyDocument")) {
            return message.contains("invalid principal");
        }
        return is(e, "InvalidInstanceProfile.NotFound");
    }

    /**
     * Whether SQS says the queue does not exist. AWS answers in the JSON protocol with {@code QueueDoesNotExist}, which
     * the SDK makes a {@link QueueDoesNotExistException}; an emulator that still speaks the query protocol's code
     * ({@code AWS.SimpleQueueService.NonExistentQueue}, e.g. in an {@code X-Amzn-ErrorType} header, which the SDK reads
     * first) gets a plain {@code SqsException}. Terraform's provider accepts both spellings too.
     */
    static boolean isQueueMissing(AwsServiceException e) {
        return e instanceof QueueDoesNotExistException
                || is(e, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "AWS.SimpleQueueService.QueueDoesNotExist");
    }

    /** For a {@code catch} whose only business is a missing queue: any other error goes on. */
    static void rethrowUnlessQueueMissing(AwsServiceException e) {
        if (!isQueueMissing(e)) {
            throw e;
        }
    }

    /** IAM's own lag: an entity made a moment ago is not yet visible to the next call. */
    static boolean isNotYetVisible(AwsServiceException e) {
        return is(e, "NoSuchEntity");
    }
}
