package dev.hybrid.cli.config;

/**
 * The {@code auth:} section of a cloud after secure.yaml and {@code OS_*} variables were applied.
 * Domains are already filled in from {@code domain_name}/{@code domain_id} where openstacksdk would do so.
 */
public record CloudAuth(
        String authUrl,
        String username,
        String userId,
        String password,
        String projectName,
        String projectId,
        String userDomainName,
        String userDomainId,
        String projectDomainName,
        String projectDomainId,
        String applicationCredentialId,
        String applicationCredentialName,
        String applicationCredentialSecret,
        String token) {

    /** Who is authenticating, for messages: a user name or id, or an application credential, never a secret. */
    public String principal() {
        if (applicationCredentialId != null) {
            return "application credential " + applicationCredentialId;
        }
        if (applicationCredentialName != null) {
            return "application credential " + applicationCredentialName;
        }
        if (username != null) {
            return "user " + username;
        }
        return userId != null ? "user " + userId : "the token holder";
    }

    /** The project to scope to, for messages. */
    public String project() {
        return projectName != null ? projectName : projectId;
    }

    @Override
    public String toString() {
        return "CloudAuth[authUrl=" + authUrl + ", " + principal() + ", project=" + project()
                + ", password=" + mask(password) + ", applicationCredentialSecret=" + mask(applicationCredentialSecret)
                + ", token=" + mask(token) + "]";
    }

    private static String mask(String secret) {
        return secret == null ? "unset" : "***";
    }
}
