package dev.hybrid.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files that cannot import {@link EnvNames} (the image recipes under {@code images/}, the {@code hybrid}
 * launcher, the tiers' resource files, the docs, the comments and text blocks of the main sources) spell only
 * names the contract has, and the recipes that configure a tier set what that tier cannot start without.
 * A renamed variable fails here, at build time, not at a boot. Test sources are not read: they may spell
 * names of their own on purpose.
 */
class ImageRecipeNamesTest {
    private static final Pattern NAME = Pattern.compile("HYBRID_[A-Z0-9_]*[A-Z0-9]");
    /** A name, or a family of names such as {@code HYBRID_MODEL_*} in prose. */
    private static final Pattern MENTION = Pattern.compile("HYBRID_[A-Z0-9_]*[A-Z0-9](_\\*)?");
    private static final Pattern ASSIGNED = Pattern.compile("(?m)^\\s*(HYBRID_[A-Z0-9_]*[A-Z0-9])=");
    private static final Pattern EXPANDED = Pattern.compile("\\$\\{?(HYBRID_[A-Z0-9_]*[A-Z0-9])");
    /** What the web tier and the worker refuse to start without. */
    private static final List<String> EVERY_TIER_NEEDS = List.of(
            EnvNames.REQUEST_QUEUE_URL, EnvNames.RESPONSE_QUEUE_URL, EnvNames.INPUT_BUCKET, EnvNames.OUTPUT_BUCKET);

    private static final Path ROOT = repositoryRoot();
    private static final Path IMAGES = ROOT.resolve("images");

    @Test
    void theContractNamesEveryVariableByItsConstant() {
        assertTrue(EnvNames.all().size() > 30, "EnvNames.all() lost its names: " + EnvNames.all());
        for (String name : EnvNames.all()) {
            assertTrue(name.startsWith(EnvNames.PREFIX), name);
            assertTrue(NAME.matcher(name).matches(), name);
        }
    }

    @Test
    void recipesAndResourcesSpellOnlyNamesOfTheContract() {
        TreeMap<String, List<String>> unknown = new TreeMap<>();
        for (Path file : scanned()) {
            List<String> lines = readLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MENTION.matcher(lines.get(i));
                while (m.find()) {
                    if (!known(m.group())) {
                        unknown.computeIfAbsent(m.group(), k -> new ArrayList<>()).add(ROOT.relativize(file) + ":" + (i + 1));
                    }
                }
            }
        }
        assertEquals(new TreeMap<>(), unknown, "names that dev.hybrid.contract.EnvNames does not have");
    }

    private static boolean known(String mention) {
        if (mention.endsWith("_*")) {
            String family = mention.substring(0, mention.length() - 1);
            return EnvNames.all().stream().anyMatch(name -> name.startsWith(family));
        }
        return EnvNames.all().contains(mention);
    }

    @Test
    void theWorkersUserDataSetsWhatTheWorkerNeeds() {
        Set<String> set = assigned(IMAGES.resolve("app-tier/worker-user-data.sh"));
        assertTrue(set.containsAll(EVERY_TIER_NEEDS), "worker-user-data.sh sets " + set + ", the worker needs " + EVERY_TIER_NEEDS);
    }

    @Test
    void theWebServersCloudConfigSetsWhatTheWebTierNeeds() {
        Set<String> set = assigned(IMAGES.resolve("web-tier/cloud-config.yaml"));
        assertTrue(set.containsAll(EVERY_TIER_NEEDS), "cloud-config.yaml sets " + set + ", the web tier needs " + EVERY_TIER_NEEDS);
        assertTrue(set.contains(EnvNames.LAUNCH_TEMPLATE_ID) && set.contains(EnvNames.STACK),
                "cloud-config.yaml must tell the autoscaler its launch template and stack: " + set);
    }

    @Test
    void everyVariableAUnitExpandsIsSetByTheRecipesOfItsTier() throws IOException {
        List<Path> units;
        try (Stream<Path> files = Files.walk(IMAGES)) {
            units = files.filter(f -> f.toString().endsWith(".service")).toList();
        }
        assertTrue(units.size() >= 2, "no systemd units under " + IMAGES + ": " + units);
        for (Path unit : units) {
            Set<String> expanded = new TreeSet<>();
            Matcher m = EXPANDED.matcher(String.join("\n", readLines(unit)));
            while (m.find()) {
                expanded.add(m.group(1));
            }
            Set<String> setByTier = new TreeSet<>();
            try (Stream<Path> tier = Files.list(unit.getParent())) {
                tier.filter(Files::isRegularFile).forEach(f -> setByTier.addAll(assigned(f)));
            }
            assertTrue(setByTier.containsAll(expanded), unit.getFileName() + " expands " + expanded + ", its tier's recipes set " + setByTier);
        }
    }

    /** The image recipes, the launcher and CI scripts, the docs, and the main sources and resources of every module. */
    private static List<Path> scanned() {
        List<Path> files = new ArrayList<>();
        for (String tree : List.of("images", "docs", "devstack", ".ci")) {
            walk(ROOT.resolve(tree), files);
        }
        try (Stream<Path> modules = Files.list(ROOT)) {
            modules.map(m -> m.resolve("src/main")).filter(Files::isDirectory).forEach(dir -> walk(dir, files));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.removeIf(f -> f.toString().contains("/labels/"));
        files.add(ROOT.resolve("hybrid"));
        files.add(ROOT.resolve("README.md"));
        assertTrue(files.stream().anyMatch(f -> f.endsWith("images/app-tier/worker-user-data.sh"))
                && files.stream().anyMatch(f -> f.toString().endsWith("web-tier/src/main/java/dev/hybrid/web/WebMain.java")),
                "the recipes and the sources must be among the files checked: " + files.size() + " files");
        return files;
    }

    private static void walk(Path tree, List<Path> into) {
        if (!Files.isDirectory(tree)) {
            return;
        }
        try (Stream<Path> files = Files.walk(tree)) {
            files.filter(Files::isRegularFile).forEach(into::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> assigned(Path file) {
        Set<String> names = new TreeSet<>();
        Matcher m = ASSIGNED.matcher(String.join("\n", readLines(file)));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<String> readLines(Path file) {
        try {
            // Lenient decoding: a stray binary file must not stop the check.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Surefire runs in the module's folder; the repository is its parent. */
    private static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isDirectory(root.resolve("images")) && Files.isRegularFile(root.resolve("hybrid")),
                "not the repository root: " + root);
        return root;
    }
}
