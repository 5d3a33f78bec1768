package dev.hybrid.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class ErrorsTest {
    private static final String SDK_MESSAGE = "Unable to load credentials from any of the providers in the chain "
            + "AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), ...]) : "
            + "[SystemPropertyCredentialsProvider(): Unable to load credentials from system settings.]";

    @Test
    void missingCredentialsIsAConfigurationErrorOnOneLineThatSaysWhatToDo() {
        SdkClientException e = SdkClientException.create(SDK_MESSAGE);
        assertEquals(ExitCodes.USAGE, Errors.exitCode(e));
        String line = Errors.oneLine(e);
        assertFalse(line.contains("\n"), line);
        assertTrue(line.contains("aws configure") && line.contains("--aws PROFILE") && line.contains("--aws local"), line);
    }

    @Test
    void missingCredentialsWrappedByTheRunIsStillAConfigurationError() {
        RuntimeException wrapped = new RuntimeException("queue failed", SdkClientException.create(SDK_MESSAGE));
        assertEquals(ExitCodes.USAGE, Errors.exitCode(wrapped));
        assertTrue(Errors.oneLine(wrapped).startsWith("no AWS credentials found"), Errors.oneLine(wrapped));
    }

    @Test
    void otherClientFailuresStayFailures() {
        assertEquals(ExitCodes.FAILED, Errors.exitCode(SdkClientException.create("Unable to execute HTTP request")));
    }
}
