package dev.hybrid.cli.local;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.engine.StateCache;
import dev.hybrid.contract.EnvNames;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a local stack keeps its things ({@code .hybrid/local/<stack>/}: the record of what runs,
 * the S3 data, the logs) and where the tiers' jars are in this checkout.
 */
public record LocalLayout(Path stackDir, Path webJar, Path workerJar) {

    public static LocalLayout of(String stack, Map<String, String> env) {
        Path base = StateCache.defaultDirectory(env).toAbsolutePath().normalize();
        Path home = home(env);
        return new LocalLayout(base.resolve("local").resolve(stack),
                home.resolve("web-tier/target/hybrid-web-tier.jar"), home.resolve("app-tier/target/hybrid-app-tier.jar"));
    }

    /**
     * The autoscaler simulation of {@code hybrid bench --simulate}: a jar of its own, not part of the web tier's, run
     * with {@code java -jar} (its manifest names its main class and the web tier's jar beside it in this checkout).
     */
    public static Path simulationJar(Map<String, String> env) {
        return home(env).resolve("scaling-simulation/target/hybrid-scaling-simulation.jar");
    }

    /**
     * A web tier that runs here against real AWS ({@code --os-cloud local --aws PROFILE}): apart from the
     * {@code --local} stack of the same name, whose directory teardown removes whole.
     */
    public static LocalLayout forLocalWeb(String stack, Map<String, String> env) {
        LocalLayout local = of(stack, env);
        return new LocalLayout(local.stackDir().getParent().resolveSibling("local-web").resolve(stack), local.webJar(), local.workerJar());
    }

    /** The checkout: named by the launcher, else found above the CLI's own jar or classes. */
    private static Path home(Map<String, String> env) {
        String named = env.get(EnvNames.HOME);
        if (named != null && !named.isBlank()) {
            return Path.of(named).toAbsolutePath();
        }
        try {
            Path self = Path.of(LocalLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = self; dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve("web-tier")) && Files.isDirectory(dir.resolve("app-tier"))) {
                    return dir;
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    public Path record() {
        return stackDir.resolve("local.json");
    }

    public Path s3Data() {
        return stackDir.resolve("s3");
    }

    public Path logs() {
        return stackDir.resolve("logs");
    }

    public Path state() {
        return stackDir.resolve("state");
    }

    public Path webRecord() {
        return stackDir.resolve("web.json");
    }

    /** The web tier's own access key, in the AWS credentials-file format, readable by this user only. */
    public Path webCredentials() {
        return stackDir.resolve("web-tier.credentials");
    }

    void requireWebJar() {
        if (!Files.isRegularFile(webJar)) {
            throw new ConfigurationException(webJar + " is missing: build it with 'mvn -B package -DskipTests' "
                    + "(the ./hybrid launcher does this by itself)");
        }
    }

    void requireJars() {
        for (Path jar : new Path[] {webJar, workerJar}) {
            if (!Files.isRegularFile(jar)) {
                throw new ConfigurationException(jar + " is missing: build the jars with 'mvn -B package -DskipTests' "
                        + "(the ./hybrid launcher does this by itself)");
            }
        }
    }
}
