package dev.hybrid.cli.config;

import dev.hybrid.contract.EnvNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * hybrid.yaml: read it (defaults for whatever it leaves out, environment and flags over it) and write a
 * commented starter for {@code hybrid init}.
 */
public final class StackConfigFile {
    public static final String DEFAULT_NAME = "hybrid.yaml";

    /** Environment variables that stand in for keys, beneath flags and above the file. */
    static final Map<String, String> ENVIRONMENT_KEYS = Map.of(
            EnvNames.MODEL_URL, "model.url",
            EnvNames.MODEL_LABELS, "model.labels",
            EnvNames.MODEL_PROFILE, "model.profile",
            EnvNames.APP_INSTANCE_TYPE, "aws.instance_type");

    private static final List<String> PROFILES = List.of("cse546", "imagenet");

    private StackConfigFile() {
    }

    /**
     * @param file      hybrid.yaml to read, or null for defaults alone
     * @param env       the environment ({@code HYBRID_MODEL_*})
     * @param overrides flag values by dotted key, e.g. {@code openstack.flavor → m1.medium}, {@code aws.scaling.max → 5}
     * @throws ConfigFileException naming file:line (or the override) of the first bad value, and what is allowed
     */
    public static StackConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        ConfigValue document;
        if (file == null) {
            document = ConfigValue.emptyMap("defaults");
        } else if (Files.isDirectory(file)) {
            throw new ConfigFileException(file + " is a directory: -c takes a hybrid.yaml file (write one with 'hybrid init')");
        } else if (!Files.isRegularFile(file)) {
            throw new ConfigFileException(file + " does not exist: run 'hybrid init' to write one, or leave the option out to use the defaults");
        } else {
            document = YamlFiles.readMapping(file);
        }
        for (Map.Entry<String, String> variable : ENVIRONMENT_KEYS.entrySet()) {
            String value = env.get(variable.getKey());
            if (value != null && !value.isBlank()) {
                document = put(document, variable.getValue(), ConfigValue.scalar(value, "environment variable " + variable.getKey()));
            }
        }
        for (Map.Entry<String, String> override : new LinkedHashMap<>(overrides).entrySet()) {
            document = put(document, override.getKey(), ConfigValue.scalar(override.getValue(), "override " + override.getKey()));
        }
        return bind(document);
    }

    /** {@code ./hybrid.yaml} when it exists, the defaults otherwise. */
    public static StackConfig loadFromWorkingDirectory(Path workingDirectory, Map<String, String> env, Map<String, String> overrides) {
        Path file = workingDirectory.resolve(DEFAULT_NAME);
        return load(Files.isRegularFile(file) ? file : null, env, overrides);
    }

    /**
     * Writes the commented default hybrid.yaml for {@code hybrid init}.
     *
     * @throws ConfigFileException if the file exists and {@code force} is false
     */
    public static void writeDefault(Path file, boolean force) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (force) {
                Files.writeString(file, StackConfigTemplate.TEXT);
            } else {
                Files.writeString(file, StackConfigTemplate.TEXT, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ConfigFileException(file + " already exists: edit it, or pass --force to replace it with the defaults");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sets a dotted key in the tree, creating the sections on the way; the value's origin is kept for messages. */
    private static ConfigValue put(ConfigValue tree, String dottedKey, ConfigValue value) {
        int dot = dottedKey.indexOf('.');
        if (dot < 0) {
            return tree.with(dottedKey, value);
        }
        String head = dottedKey.substring(0, dot);
        ConfigValue child = tree.get(head);
        if (child == null || !child.isMap()) {
            child = ConfigValue.emptyMap(value.origin());
        }
        return tree.with(head, put(child, dottedKey.substring(dot + 1), value));
    }

    private static StackConfig bind(ConfigValue document) {
        StackConfig defaults = StackConfig.defaults();
        SectionReader root = SectionReader.root(document, "stack", "openstack", "aws", "model", "reply");
        String stack = root.string("stack", defaults.stack());
        if (!StackName.valid(stack)) {
            throw new ConfigFileException(root.origin("stack") + ": stack '" + stack + "' is not a valid stack name: " + StackName.RULE
                    + " (it becomes part of queue and bucket names)");
        }
        return new StackConfig(stack, openstack(root, defaults.openstack()), aws(root, defaults.aws()), model(root, defaults.model()),
                root.choice("reply", defaults.reply(), ReplyMode.class));
    }

    private static StackConfig.OpenStack openstack(SectionReader root, StackConfig.OpenStack defaults) {
        SectionReader section = root.section("openstack",
                "cloud", "flavor", "network", "external_network", "web_port", "ssh_cidr", "web_image");
        String sshCidr = section.string("ssh_cidr", "auto");
        if (sshCidr.equals("auto")) {
            sshCidr = null;
        } else if (!SshCidr.isValid(sshCidr)) {
            throw new ConfigFileException(section.origin("ssh_cidr") + ": openstack.ssh_cidr '" + sshCidr
                    + "' is not an address block like 203.0.113.7/32 (or 'auto')");
        }
        String webImage = section.string("web_image", null);
        return new StackConfig.OpenStack(
                section.string("cloud", defaults.cloud()),
                section.string("flavor", defaults.flavor()),
                section.string("network", defaults.network()),
                section.string("external_network", defaults.externalNetwork()),
                section.integer("web_port", defaults.webPort(), 1, 65535),
                sshCidr,
                webImage == null ? defaults.webImage() : WebImageSource.parse(webImage, section.origin("web_image")));
    }

    private static StackConfig.Aws aws(SectionReader root, StackConfig.Aws defaults) {
        SectionReader section = root.section("aws", "region", "instance_type", "scaling");
        SectionReader scaling = section.section("scaling", "min", "max", "warm_pool");
        int min = scaling.integer("min", defaults.scaling().min(), 0, 1000);
        int max = scaling.integer("max", defaults.scaling().max(), 1, 1000);
        int warmPool = scaling.integer("warm_pool", defaults.scaling().warmPool(), 0, 1000);
        if (min > max) {
            throw new ConfigFileException(scaling.origin("min") + ": aws.scaling.min (" + min + ") is above aws.scaling.max (" + max + ")");
        }
        if (warmPool > max) {
            throw new ConfigFileException(scaling.origin("warm_pool") + ": aws.scaling.warm_pool (" + warmPool
                    + ") is above aws.scaling.max (" + max + "), which also bounds the warm pool");
        }
        return new StackConfig.Aws(section.string("region", defaults.region()), section.string("instance_type", defaults.instanceType()),
                new StackConfig.Scaling(min, max, warmPool));
    }

    private static StackConfig.Model model(SectionReader root, StackConfig.Model defaults) {
        SectionReader section = root.section("model", "url", "labels", "profile");
        return new StackConfig.Model(section.string("url", defaults.url()), section.string("labels", defaults.labels()),
                section.oneOf("profile", defaults.profile(), PROFILES));
    }
}
