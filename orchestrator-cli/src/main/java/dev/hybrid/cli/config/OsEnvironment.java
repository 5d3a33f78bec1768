package dev.hybrid.cli.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code OS_*} variables as cloud settings, named the way clouds.yaml names them ({@code OS_AUTH_URL} → {@code auth_url}). */
final class OsEnvironment {
    /** These choose files and clouds; they are not settings of a cloud. */
    private static final Set<String> NOT_SETTINGS = Set.of("OS_CLOUD", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE", "OS_CLOUD_NAME");
    /** Older spellings that openstacksdk still honours. */
    private static final Map<String, String> ALIASES = Map.of("tenant_name", "project_name", "tenant_id", "project_id");

    private OsEnvironment() {
    }

    static Map<String, ConfigValue> settings(Map<String, String> env) {
        Map<String, ConfigValue> settings = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OS_") && !NOT_SETTINGS.contains(name) && value != null && !value.isEmpty()) {
                String key = normalize(name.substring(3).toLowerCase(Locale.ROOT));
                settings.put(key, ConfigValue.scalar(value, "environment variable " + name));
            }
        });
        return settings;
    }

    static String normalize(String key) {
        String underscored = key.replace('-', '_');
        return ALIASES.getOrDefault(underscored, underscored);
    }

    static boolean definesCloud(Map<String, String> env) {
        String authUrl = env.get("OS_AUTH_URL");
        return authUrl != null && !authUrl.isBlank();
    }
}
