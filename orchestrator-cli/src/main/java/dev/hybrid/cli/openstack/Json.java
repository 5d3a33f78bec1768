package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.function.Consumer;

/** Request bodies in a line each. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object(Consumer<ObjectNode> fill) {
        ObjectNode node = MAPPER.createObjectNode();
        fill.accept(node);
        return node;
    }

    static ArrayNode array(Collection<String> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    static ObjectNode asObject(JsonNode node) {
        return (ObjectNode) node;
    }
}
