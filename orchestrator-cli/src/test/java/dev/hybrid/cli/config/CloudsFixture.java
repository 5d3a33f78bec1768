package dev.hybrid.cli.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A private file system layout (working directory, home, system directories) and environment for clouds.yaml tests. */
final class CloudsFixture {
    final Path cwd;
    final Path home;
    final Path etcXdg;
    final Path etc;
    final Map<String, String> env = new HashMap<>();

    CloudsFixture(Path root) {
        cwd = root.resolve("work");
        home = root.resolve("home");
        etcXdg = root.resolve("etc/xdg/openstack");
        etc = root.resolve("etc/openstack");
        for (Path dir : List.of(cwd, home, etcXdg, etc)) {
            mkdirs(dir);
        }
    }

    Path userConfigDir() {
        return home.resolve(".config/openstack");
    }

    Path write(Path file, String yaml) {
        mkdirs(file.getParent());
        try {
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CloudsFixture env(String name, String value) {
        env.put(name, value);
        return this;
    }

    CloudsFileLocator locator() {
        return new CloudsFileLocator(env, cwd, home, List.of(etcXdg, etc));
    }

    CloudConfigLoader loader() {
        return new CloudConfigLoader(env, locator());
    }

    CloudConfig load(String flag) {
        return loader().load(flag);
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A complete password cloud named {@code name}. */
    static String passwordCloud(String name) {
        return """
                clouds:
                  %s:
                    auth:
                      auth_url: https://keystone.example.org:5000/v3
                      username: alice
                      password: s3cret-pw
                      project_name: demo
                      user_domain_name: Default
                      project_domain_name: Default
                    region_name: RegionOne
                """.formatted(name);
    }
}
