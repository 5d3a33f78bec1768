package dev.hybrid.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hybrid.cli.engine.Change;
import dev.hybrid.cli.engine.Leftover;
import dev.hybrid.cli.engine.NodeOutcome;
import dev.hybrid.cli.engine.WalkReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The one JSON document a command prints with {@code -o json}; its shape is in docs/engine.md. */
public final class JsonReports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReports() {
    }

    /**
     * The walk's report.
     *
     * @param aws      where the AWS side is, as {@code AwsTarget.describe} says
     * @param settings the outputs the tiers read, by their environment variable names
     */
    public static ObjectNode of(String command, WalkReport report, String aws, Map<String, String> settings, int exitCode) {
        ObjectNode document = JSON.createObjectNode();
        document.put("command", command);
        document.put("ok", exitCode == ExitCodes.OK);
        document.put("exitCode", exitCode);
        document.put("stack", report.stack());
        document.put("deploymentId", report.deploymentId());
        document.put("aws", aws);
        document.put("elapsedMillis", report.elapsed().toMillis());
        ArrayNode resources = document.putArray("resources");
        for (NodeOutcome node : report.nodes()) {
            ObjectNode resource = resources.addObject();
            resource.put("key", node.key());
            resource.put("kind", node.kind());
            resource.put("status", lower(node.status()));
            resource.put("elapsedMillis", node.elapsed().toMillis());
            ArrayNode changes = resource.putArray("changes");
            for (Change change : node.changes()) {
                changes.addObject().put("action", lower(change.action())).put("id", change.physicalId()).put("reason", change.reason());
            }
            if (node.error() != null) {
                resource.put("error", node.error());
            }
        }
        ObjectNode outputs = document.putObject("outputs");
        report.outputs().forEach((key, values) -> {
            ObjectNode node = outputs.putObject(key);
            values.forEach(node::put);
        });
        ObjectNode settingsNode = document.putObject("settings");
        settings.forEach(settingsNode::put);
        ArrayNode leftovers = document.putArray("leftovers");
        for (Leftover leftover : report.leftovers()) {
            leftovers.addObject().put("key", leftover.key()).put("kind", leftover.kind())
                    .put("id", leftover.physicalId()).put("reason", leftover.reason());
        }
        return document;
    }

    public static void print(PrintWriter out, ObjectNode document) {
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the report as JSON", e);
        }
        out.flush();
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static void putAll(ObjectNode node, Map<String, String> values) {
        values.forEach(node::put);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
