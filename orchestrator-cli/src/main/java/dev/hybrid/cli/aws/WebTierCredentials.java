package dev.hybrid.cli.aws;

/**
 * The web tier's access key. Lives in memory only: it is never an output of a resource, so it
 * never reaches the state cache, a plan or a progress line, and it prints without its secret.
 */
public record WebTierCredentials(String accessKeyId, String secretAccessKey) {
    @Override
    public String toString() {
        return "WebTierCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=(redacted)]";
    }
}
