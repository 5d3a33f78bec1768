package dev.hybrid.cli.aws;

import dev.hybrid.cli.config.ConfigurationException;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;

/**
 * The SDK reads ~/.aws/config and ~/.aws/credentials as one, and its complaint about a malformed line names neither
 * file: each is read here on its own first, so that the message says which file and line to fix.
 */
final class AwsProfileFiles {
    private AwsProfileFiles() {
    }

    static void check() {
        check(ProfileFileLocation.configurationFileLocation(), ProfileFile.Type.CONFIGURATION);
        check(ProfileFileLocation.credentialsFileLocation(), ProfileFile.Type.CREDENTIALS);
    }

    static void check(Optional<Path> file, ProfileFile.Type type) {
        file.ifPresent(path -> {
            try {
                ProfileFile.builder().content(path).type(type).build().profiles();
            } catch (RuntimeException e) {
                throw new ConfigurationException(path + ": " + e.getMessage() + ": fix the file (see 'aws configure'), or use --aws local");
            }
        });
    }
}
