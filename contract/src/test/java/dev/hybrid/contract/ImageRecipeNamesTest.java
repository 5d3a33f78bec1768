package dev.hybrid.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * launcher, the tiers' resource files) spell only names the contract has, and the recipes that configure a
 * tier set what that tier cannot start without. A renamed variable fails here, at build time, not at a boot.
 */
class ImageRecipeNamesTest {
    private static final Pattern NAME = Pattern.compile("HYBRID_[A-Z0-9_]*[A-Z0-9]");
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
                Matcher m = NAME.matcher(lines.get(i));
                while (m.find()) {
                    if (!EnvNames.all().contains(m.group())) {
                        unknown.computeIfAbsent(m.group(), k -> new ArrayList<>()).add(ROOT.relativize(file) + ":" + (i + 1));
                    }
                }
            }
        }
        assertEquals(new TreeMap<>(), unknown, "names that dev.hybrid.contract.EnvNames does not have");
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

    /** The image recipes, the launcher script and the main resources of every module. */
    private static List<Path> scanned() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> images = Files.walk(IMAGES); Stream<Path> modules = Files.list(ROOT)) {
            images.filter(Files::isRegularFile).forEach(files::add);
            modules.map(m -> m.resolve("src/main/resources")).filter(Files::isDirectory).forEach(dir -> {
                try (Stream<Path> resources = Files.walk(dir)) {
                    resources.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/labels/")).forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.add(ROOT.resolve("hybrid"));
        assertTrue(files.size() >= 8, "too few files to check: " + files);
        return files;
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
            return Files.readAllLines(file);
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
