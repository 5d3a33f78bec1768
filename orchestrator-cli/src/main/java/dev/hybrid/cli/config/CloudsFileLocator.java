package dev.hybrid.cli.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds clouds.yaml and secure.yaml where openstacksdk looks for them: the file named by
 * {@code OS_CLIENT_CONFIG_FILE} (resp. {@code OS_CLIENT_SECURE_FILE}) first, then the current directory,
 * {@code $XDG_CONFIG_HOME/openstack} (default {@code ~/.config/openstack}), {@code /etc/xdg/openstack} and
 * {@code /etc/openstack}; in each directory {@code .yaml} before {@code .yml}. The first file that exists wins.
 */
public final class CloudsFileLocator {
    private static final List<String> SUFFIXES = List.of(".yaml", ".yml");

    private final Map<String, String> env;
    private final List<Path> directories;

    public CloudsFileLocator(Map<String, String> env, Path workingDirectory, Path home, List<Path> systemDirectories) {
        this.env = env;
        List<Path> dirs = new ArrayList<>();
        dirs.add(workingDirectory);
        String xdg = env.get("XDG_CONFIG_HOME");
        dirs.add((xdg == null || xdg.isBlank() ? home.resolve(".config") : Path.of(xdg)).resolve("openstack"));
        dirs.addAll(systemDirectories);
        this.directories = List.copyOf(dirs);
    }

    public static CloudsFileLocator forThisMachine(Map<String, String> env) {
        return new CloudsFileLocator(env, Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")),
                List.of(Path.of("/etc/xdg/openstack"), Path.of("/etc/openstack")));
    }

    /** Every place clouds.yaml may be, in the order they are tried. */
    public List<Path> cloudsCandidates() {
        return candidates("clouds", "OS_CLIENT_CONFIG_FILE");
    }

    public List<Path> secureCandidates() {
        return candidates("secure", "OS_CLIENT_SECURE_FILE");
    }

    public Optional<Path> cloudsFile() {
        return firstExisting(cloudsCandidates(), "OS_CLIENT_CONFIG_FILE");
    }

    public Optional<Path> secureFile() {
        return firstExisting(secureCandidates(), "OS_CLIENT_SECURE_FILE");
    }

    private List<Path> candidates(String stem, String overrideVariable) {
        List<Path> paths = new ArrayList<>();
        String override = env.get(overrideVariable);
        if (override != null && !override.isBlank()) {
            paths.add(Path.of(override));
        }
        for (Path dir : directories) {
            for (String suffix : SUFFIXES) {
                paths.add(dir.resolve(stem + suffix));
            }
        }
        return paths;
    }

    private Optional<Path> firstExisting(List<Path> candidates, String overrideVariable) {
        String override = env.get(overrideVariable);
        if (override != null && !override.isBlank() && !Files.isRegularFile(Path.of(override))) {
            // openstacksdk would silently fall back to the other places; a typo here deserves to be noticed.
            throw new ConfigFileException(overrideVariable + " names " + override + ", which is not a readable file: fix the path or unset " + overrideVariable);
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst();
    }
}
