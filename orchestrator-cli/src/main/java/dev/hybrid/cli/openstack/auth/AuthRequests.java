package dev.hybrid.cli.openstack.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.config.CloudAuth;
import dev.hybrid.cli.config.CloudConfig;

/** The body of {@code POST /v3/auth/tokens} for each auth type. */
final class AuthRequests {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AuthRequests() {
    }

    static ObjectNode body(CloudConfig cloud) {
        CloudAuth auth = cloud.auth();
        ObjectNode root = JSON.objectNode();
        ObjectNode request = root.putObject("auth");
        ObjectNode identity = request.putObject("identity");
        switch (cloud.authType()) {
            case PASSWORD -> {
                identity.putArray("methods").add("password");
                ObjectNode user = user(auth);
                user.put("password", auth.password());
                identity.putObject("password").set("user", user);
                request.set("scope", projectScope(auth));
            }
            case APPLICATION_CREDENTIAL -> {
                // The credential is bound to its project already; a scope in the request would be refused.
                identity.putArray("methods").add("application_credential");
                ObjectNode credential = identity.putObject("application_credential");
                if (auth.applicationCredentialId() != null) {
                    credential.put("id", auth.applicationCredentialId());
                } else {
                    credential.put("name", auth.applicationCredentialName());
                    credential.set("user", user(auth));
                }
                credential.put("secret", auth.applicationCredentialSecret());
            }
            case TOKEN -> {
                identity.putArray("methods").add("token");
                identity.putObject("token").put("id", auth.token());
                request.set("scope", projectScope(auth));
            }
        }
        return root;
    }

    private static ObjectNode user(CloudAuth auth) {
        ObjectNode user = JSON.objectNode();
        if (auth.userId() != null) {
            user.put("id", auth.userId());
        } else {
            user.put("name", auth.username());
            user.set("domain", domain(auth.userDomainId(), auth.userDomainName(), null, null));
        }
        return user;
    }

    private static ObjectNode projectScope(CloudAuth auth) {
        ObjectNode scope = JSON.objectNode();
        ObjectNode project = scope.putObject("project");
        if (auth.projectId() != null) {
            project.put("id", auth.projectId());
        } else {
            project.put("name", auth.projectName());
            // A project name is only unique within its domain: the project's, else the user's, else "default".
            project.set("domain", domain(auth.projectDomainId(), auth.projectDomainName(), auth.userDomainId(), auth.userDomainName()));
        }
        return scope;
    }

    private static ObjectNode domain(String id, String name, String fallbackId, String fallbackName) {
        ObjectNode domain = JSON.objectNode();
        if (id != null) {
            domain.put("id", id);
        } else if (name != null) {
            domain.put("name", name);
        } else if (fallbackId != null) {
            domain.put("id", fallbackId);
        } else if (fallbackName != null) {
            domain.put("name", fallbackName);
        } else {
            domain.put("id", "default");
        }
        return domain;
    }
}
