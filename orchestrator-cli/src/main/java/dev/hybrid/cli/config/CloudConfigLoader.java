package dev.hybrid.cli.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Loads one cloud the way openstacksdk does: clouds.yaml from the first place that has one, secure.yaml
 * deep-merged over it, the cloud chosen by {@code --os-cloud}, {@code OS_CLOUD} or by being the only one,
 * and {@code OS_*} variables over the file. Without any clouds.yaml, {@code OS_AUTH_URL} and friends
 * define a cloud named {@value #ENVVARS}.
 */
public final class CloudConfigLoader {
    public static final String ENVVARS = "envvars";
    private final Map<String, String> env;
    private final CloudsFileLocator locator;

    public CloudConfigLoader(Map<String, String> env, CloudsFileLocator locator) {
        this.env = Map.copyOf(env);
        this.locator = locator;
    }

    /** Reads the real environment and the real places. */
    public static CloudConfigLoader fromEnvironment() {
        return new CloudConfigLoader(System.getenv(), CloudsFileLocator.forThisMachine(System.getenv()));
    }

    /**
     * @param cloudFlag the value of {@code --os-cloud}, or null to fall back to {@code OS_CLOUD} and then to the only cloud
     * @throws ConfigFileException with a message naming the file and line, and what to do
     */
    public CloudConfig load(String cloudFlag) {
        return load(cloudFlag, null);
    }

    /**
     * @param cloudFlag       the value of {@code --os-cloud}, or null
     * @param configuredCloud {@code openstack.cloud} of hybrid.yaml, used when neither the flag nor {@code OS_CLOUD} names one; or null
     */
    public CloudConfig load(String cloudFlag, String configuredCloud) {
        String requested = Blank.firstNonBlank(cloudFlag, env.get("OS_CLOUD"), configuredCloud);
        Optional<Path> cloudsFile = locator.cloudsFile();
        if (cloudsFile.isEmpty()) {
            if (OsEnvironment.definesCloud(env) && (requested == null || requested.equals(ENVVARS))) {
                return fromEnvironmentOnly();
            }
            throw new ConfigFileException("no clouds.yaml found; looked in "
                    + locator.cloudsCandidates().stream().map(Path::toString).collect(Collectors.joining(", "))
                    + ": create one (see clouds.yaml.example), point OS_CLIENT_CONFIG_FILE at it, or export OS_AUTH_URL and friends");
        }
        Path file = cloudsFile.get();
        if (ENVVARS.equals(requested) && OsEnvironment.definesCloud(env)) {
            return fromEnvironmentOnly();
        }
        Map<String, ConfigValue> clouds = clouds(file);
        String name = select(file, clouds, requested);
        ConfigValue cloud = clouds.get(name);
        if (!cloud.isMap()) {
            throw new ConfigFileException(cloud.origin() + ": cloud '" + name + "' must be a mapping of settings");
        }
        return CloudSettings.interpret(name, file, cloud.origin(), flatten(cloud, OsEnvironment.settings(env)));
    }

    /** The names of the clouds in the clouds.yaml that would be used, in file order. */
    public List<String> cloudNames() {
        return locator.cloudsFile().map(file -> List.copyOf(clouds(file).keySet())).orElse(List.of());
    }

    private CloudConfig fromEnvironmentOnly() {
        Map<String, ConfigValue> settings = OsEnvironment.settings(env);
        return CloudSettings.interpret(ENVVARS, null, "the OS_* environment variables", settings);
    }

    private Map<String, ConfigValue> clouds(Path file) {
        ConfigValue document = YamlFiles.readMapping(file);
        Optional<Path> secureFile = locator.secureFile();
        if (secureFile.isPresent()) {
            document = ConfigValue.merge(document, YamlFiles.readMapping(secureFile.get()));
        }
        ConfigValue clouds = document.get("clouds");
        if (clouds == null || !clouds.isMap()) {
            String where = clouds == null ? file + ":1:1" : clouds.origin();
            throw new ConfigFileException(where + ": expected a 'clouds:' mapping of cloud names to their settings");
        }
        return clouds.map();
    }

    private static String select(Path file, Map<String, ConfigValue> clouds, String requested) {
        if (clouds.isEmpty()) {
            throw new ConfigFileException(file + ": 'clouds:' defines no cloud; add one (see clouds.yaml.example)");
        }
        if (requested == null) {
            if (clouds.size() == 1) {
                return clouds.keySet().iterator().next();
            }
            throw new ConfigFileException(file + " defines " + clouds.size() + " clouds (" + listing(clouds)
                    + "): choose one with --os-cloud NAME or export OS_CLOUD=NAME");
        }
        if (!clouds.containsKey(requested)) {
            throw new ConfigFileException("cloud '" + requested + "' is not defined in " + file + "; it defines " + listing(clouds));
        }
        return requested;
    }

    private static String listing(Map<String, ConfigValue> clouds) {
        return clouds.entrySet().stream()
                .map(entry -> entry.getKey() + " (line " + line(entry.getValue().origin()) + ")")
                .collect(Collectors.joining(", "));
    }

    private static String line(String origin) {
        String[] parts = origin.split(":");
        return parts.length >= 3 ? parts[parts.length - 2] : "?";
    }

    /**
     * One flat map of settings: the cloud's top-level keys, its {@code auth:} keys over them (openstacksdk
     * moves stray auth keys into auth only where auth does not set them), and the environment over both.
     */
    private static Map<String, ConfigValue> flatten(ConfigValue cloud, Map<String, ConfigValue> environment) {
        Map<String, ConfigValue> flat = new LinkedHashMap<>();
        cloud.map().forEach((key, value) -> {
            if (!key.equals("auth")) {
                flat.put(OsEnvironment.normalize(key.toLowerCase(Locale.ROOT)), value);
            }
        });
        ConfigValue auth = cloud.get("auth");
        if (auth != null) {
            if (!auth.isMap()) {
                throw new ConfigFileException(auth.origin() + ": 'auth' must be a mapping (auth_url, username, password, ...)");
            }
            auth.map().forEach((key, value) -> flat.put(OsEnvironment.normalize(key.toLowerCase(Locale.ROOT)), value));
        }
        flat.putAll(environment);
        return flat;
    }
}
