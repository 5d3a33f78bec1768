package dev.hybrid.cli.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The keystoneauth plugins this tool speaks, by the names clouds.yaml uses for them. */
public enum AuthType {
    PASSWORD("password"),
    APPLICATION_CREDENTIAL("v3applicationcredential"),
    TOKEN("token");

    private final String configName;

    AuthType(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Accepts the plugin names and their v3 spellings ({@code v3password}, {@code v3token}), as keystoneauth does. */
    public static AuthType parse(String value, String origin) {
        String name = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (name) {
            case "password", "v3password" -> PASSWORD;
            case "v3applicationcredential", "applicationcredential", "v3_application_credential" -> APPLICATION_CREDENTIAL;
            case "token", "v3token" -> TOKEN;
            default -> throw new ConfigFileException(origin + ": auth_type '" + value + "' is not supported; use one of "
                    + Arrays.stream(values()).map(AuthType::configName).collect(Collectors.joining(", ")));
        };
    }
}
