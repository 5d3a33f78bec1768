package dev.hybrid.cli.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Turns the flat settings of one cloud into a checked {@link CloudConfig}. */
final class CloudSettings {
    private final String cloud;
    private final String definedAt;
    private final Map<String, ConfigValue> settings;

    private CloudSettings(String cloud, String definedAt, Map<String, ConfigValue> settings) {
        this.cloud = cloud;
        this.definedAt = definedAt;
        this.settings = settings;
    }

    static CloudConfig interpret(String name, Path file, String definedAt, Map<String, ConfigValue> settings) {
        return new CloudSettings(name, definedAt, settings).build(file);
    }

    private CloudConfig build(Path file) {
        AuthType authType = settings.containsKey("auth_type") && text("auth_type") != null
                ? AuthType.parse(text("auth_type"), settings.get("auth_type").origin())
                : AuthType.PASSWORD;
        String domainName = text("domain_name");
        String domainId = text("domain_id");
        String userDomainName = text("user_domain_name");
        String userDomainId = text("user_domain_id");
        String projectDomainName = text("project_domain_name");
        String projectDomainId = text("project_domain_id");
        // As openstacksdk does: a bare domain stands in for whichever of user and project domain is not given.
        if (userDomainName == null && userDomainId == null) {
            userDomainName = domainName;
            userDomainId = domainId;
        }
        if (projectDomainName == null && projectDomainId == null) {
            projectDomainName = domainName;
            projectDomainId = domainId;
        }
        CloudAuth auth = new CloudAuth(text("auth_url"), text("username"), text("user_id"), text("password"),
                text("project_name"), text("project_id"), userDomainName, userDomainId, projectDomainName, projectDomainId,
                text("application_credential_id"), text("application_credential_name"), text("application_credential_secret"),
                text("token"));
        String identityApiVersion = text("identity_api_version") == null ? "3" : text("identity_api_version");
        CloudConfig config = new CloudConfig(cloud, file, definedAt, authType, auth, text("region_name"),
                interfaceName(), identityApiVersion, verify(), cacert());
        validate(config);
        return config;
    }

    private void validate(CloudConfig config) {
        CloudAuth auth = config.auth();
        String secureHint = config.secureFileHint();
        if (auth.authUrl() == null) {
            fail("has no auth_url: set auth.auth_url or export OS_AUTH_URL");
        }
        if (!config.identityApiVersion().equals("3") && !config.identityApiVersion().startsWith("3.")) {
            fail("asks for identity_api_version " + config.identityApiVersion() + ", but only Keystone v3 is supported: set it to 3");
        }
        switch (config.authType()) {
            case PASSWORD -> {
                if (auth.username() == null && auth.userId() == null) {
                    fail("has no username: set auth.username (or user_id) or export OS_USERNAME");
                }
                if (auth.password() == null) {
                    fail("has no password: set it in " + secureHint + " or export OS_PASSWORD");
                }
                requireProject(auth);
            }
            case APPLICATION_CREDENTIAL -> {
                if (auth.applicationCredentialSecret() == null) {
                    fail("has no application_credential_secret: set it in " + secureHint + " or export OS_APPLICATION_CREDENTIAL_SECRET");
                }
                if (auth.applicationCredentialId() == null && auth.applicationCredentialName() == null) {
                    fail("has no application_credential_id: set auth.application_credential_id or export OS_APPLICATION_CREDENTIAL_ID");
                }
                if (auth.applicationCredentialId() == null && auth.username() == null && auth.userId() == null) {
                    fail("names its application credential but not its owner: set auth.username (or user_id), or use application_credential_id");
                }
            }
            case TOKEN -> {
                if (auth.token() == null) {
                    fail("has no token: set it in " + secureHint + " or export OS_TOKEN");
                }
                requireProject(auth);
            }
        }
    }

    private void requireProject(CloudAuth auth) {
        if (auth.projectName() == null && auth.projectId() == null) {
            fail("names no project: set auth.project_name (or project_id) or export OS_PROJECT_NAME");
        }
    }

    private String interfaceName() {
        String value = text("interface");
        if (value == null) {
            value = text("endpoint_type");
        }
        if (value == null) {
            return "public";
        }
        String name = value.toLowerCase(Locale.ROOT).replace("url", "");
        if (!name.equals("public") && !name.equals("internal") && !name.equals("admin")) {
            throw new ConfigFileException(where("interface") + ": interface '" + value + "' is not one of public, internal, admin");
        }
        return name;
    }

    private boolean verify() {
        if (settings.containsKey("insecure") && text("insecure") != null) {
            return !bool("insecure");
        }
        return !settings.containsKey("verify") || text("verify") == null || bool("verify");
    }

    private Path cacert() {
        String value = text("cacert");
        if (value == null) {
            return null;
        }
        Path path = value.startsWith("~/") ? Path.of(System.getProperty("user.home"), value.substring(2)) : Path.of(value);
        if (!path.toFile().isFile()) {
            throw new ConfigFileException(where("cacert") + ": cacert " + value + " is not a readable file: fix the path or remove cacert");
        }
        return path;
    }

    private boolean bool(String key) {
        String value = text(key).trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigFileException(where(key) + ": " + key + " must be true or false, got '" + text(key) + "'");
        };
    }

    private String text(String key) {
        ConfigValue value = settings.get(key);
        if (value != null && !value.isScalar()) {
            // e.g. 'username: [a, b]': say what is wrong with the value, not that it is missing
            throw new ConfigFileException("cloud '" + cloud + "' (" + describe(value.origin()) + ") has a "
                    + (value.isMap() ? "mapping" : "list") + " as " + key + ": give it one value, as in '" + key + ": VALUE'");
        }
        if (value == null || value.text() == null || value.text().isBlank()) {
            return null;
        }
        return value.text().trim();
    }

    private String where(String key) {
        ConfigValue value = settings.get(key);
        return value == null ? definedAt : value.origin();
    }

    private void fail(String problem) {
        throw new ConfigFileException("cloud '" + cloud + "' (" + describe(definedAt) + ") " + problem);
    }

    private static String describe(String definedAt) {
        return definedAt.startsWith("the OS_") ? "from " + definedAt : "defined at " + definedAt;
    }
}
