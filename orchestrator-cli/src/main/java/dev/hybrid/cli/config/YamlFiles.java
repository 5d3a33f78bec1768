package dev.hybrid.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads YAML files into {@link ConfigValue} trees whose every node knows its file, line and column. */
public final class YamlFiles {
    private YamlFiles() {
    }

    /** The document's top-level mapping; an empty file gives an empty map. */
    public static ConfigValue readMapping(Path file) {
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new ConfigFileException(where(file, e.getProblemMark()) + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new ConfigFileException(file + ": not a YAML file: it is not UTF-8 text (is it a binary file?)");
            }
            throw new ConfigFileException(file + ": not valid YAML: " + firstLine(e.getMessage()));
        } catch (CharacterCodingException e) {
            throw new ConfigFileException(file + ": not a YAML file: it is not UTF-8 text (is it a binary file?)");
        } catch (IOException e) {
            throw new ConfigFileException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null) {
            return ConfigValue.emptyMap(file.toString());
        }
        if (!(root instanceof MappingNode)) {
            throw new ConfigFileException(where(file, root.getStartMark()) + ": expected a mapping of keys to values at the top of the file");
        }
        return convert(file, root);
    }

    static String where(Path file, Mark mark) {
        return mark == null ? file.toString() : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    private static ConfigValue convert(Path file, Node node) {
        String origin = where(file, node.getStartMark());
        if (node instanceof MappingNode mapping) {
            Map<String, ConfigValue> entries = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode key)) {
                    throw new ConfigFileException(where(file, keyNode.getStartMark()) + ": keys must be plain names");
                }
                if (entries.containsKey(key.getValue())) {
                    throw new ConfigFileException(where(file, keyNode.getStartMark()) + ": key '" + key.getValue() + "' appears twice in the same mapping");
                }
                // The value carries the key's position: errors about an entry point at the line that names it.
                ConfigValue value = convert(file, tuple.getValueNode());
                entries.put(key.getValue(), new ConfigValue(value.raw(), where(file, keyNode.getStartMark())));
            }
            return new ConfigValue(entries, origin);
        }
        if (node instanceof SequenceNode sequence) {
            List<ConfigValue> items = new ArrayList<>();
            sequence.getValue().forEach(item -> items.add(convert(file, item)));
            return new ConfigValue(items, origin);
        }
        ScalarNode scalar = (ScalarNode) node;
        return new ConfigValue(Tag.NULL.equals(scalar.getTag()) ? null : scalar.getValue(), origin);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
