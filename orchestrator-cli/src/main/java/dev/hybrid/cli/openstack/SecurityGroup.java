package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.hybrid.cli.engine.Address;
import dev.hybrid.cli.engine.OutputKey;
import dev.hybrid.cli.engine.OutputValues;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.contract.Roles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The web server's Neutron security group: SSH from one CIDR, the web port from anywhere, ICMP.
 * Neutron answers 409 to a rule that already exists, which is what we wanted, so it counts as success.
 */
public final class SecurityGroup implements Resource {
    public static final Address<SecurityGroup> ADDRESS = Address.of(SecurityGroup.class, SecurityGroup.KEY);
    public static final OutputKey<SecurityGroup, String> ID = OutputKey.text(SecurityGroup.class, "id");
    public static final OutputKey<SecurityGroup, String> NAME = OutputKey.text(SecurityGroup.class, "name");
    public static final String KEY = "os:security-group";
    static final String ROLE = Roles.WEB_SECURITY_GROUP;

    private final OpenStackApi api;
    private final List<Rule> rules;
    private final Duration inUseTimeout;

    /** One ingress rule; {@code port} null for ICMP. */
    public record Rule(String protocol, Integer port, String cidr) {
        String signature() {
            return protocol + ":" + (port == null ? "any" : port) + ":" + cidr;
        }
    }

    public SecurityGroup(OpenStackApi api, int webPort, String sshCidr) {
        this(api, webPort, sshCidr, Duration.ofSeconds(120));
    }

    SecurityGroup(OpenStackApi api, int webPort, String sshCidr, Duration inUseTimeout) {
        this.api = api;
        this.inUseTimeout = inUseTimeout;
        this.rules = List.of(new Rule("tcp", 22, sshCidr), new Rule("tcp", webPort, "0.0.0.0/0"), new Rule("icmp", null, "0.0.0.0/0"));
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "security-group";
    }

    static String name(StackContext context) {
        return "hybrid-" + context.stack() + "-web";
    }

    @Override
    public List<Observed> discover(StackContext context) {
        Map<String, Observed> found = new java.util.LinkedHashMap<>();
        for (JsonNode group : api.get(ServiceType.NETWORK, "/security-groups?tags=" + OpenStackTags.stackFilter(context)).path("security_groups")) {
            if (OpenStackTags.belongsTo(group.path("tags"), context, ROLE)) {
                found.put(group.path("id").asText(), observe(group, group.path("tags")));
            }
        }
        // A group whose tags were never written (an up killed right after creating it) still has its description.
        String byName = "/security-groups?name=" + java.net.URLEncoder.encode(name(context), java.nio.charset.StandardCharsets.UTF_8);
        for (JsonNode group : api.get(ServiceType.NETWORK, byName).path("security_groups")) {
            JsonNode words = Json.array(List.of(group.path("description").asText("").split(" ")));
            if (OpenStackTags.belongsTo(words, context, ROLE)) {
                found.putIfAbsent(group.path("id").asText(), observe(group, words));
            }
        }
        return new ArrayList<>(found.values());
    }

    private static Observed observe(JsonNode group, JsonNode tags) {
        Set<String> signatures = new TreeSet<>();
        for (JsonNode rule : group.path("security_group_rules")) {
            if ("ingress".equals(rule.path("direction").asText()) && "IPv4".equals(rule.path("ethertype").asText())) {
                String protocol = rule.path("protocol").asText("any");
                Integer port = rule.path("port_range_min").isNumber() ? rule.get("port_range_min").asInt() : null;
                signatures.add(new Rule(protocol, port, rule.path("remote_ip_prefix").asText("0.0.0.0/0")).signature());
            }
        }
        String id = group.path("id").asText();
        return new Observed(id, OpenStackTags.deployment(tags), Map.of("rules", String.join(",", signatures)),
                OutputValues.of(ID, id).and(NAME, group.path("name").asText()).toMap());
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        List<String> missing = missingRules(observed).stream().map(Rule::signature).toList();
        return missing.isEmpty() ? Diff.keep() : Diff.update("missing rules " + String.join(", ", missing));
    }

    private List<Rule> missingRules(Observed observed) {
        Set<String> present = Set.of(observed.attributes().getOrDefault("rules", "").split(","));
        return rules.stream().filter(rule -> !present.contains(rule.signature())).toList();
    }

    @Override
    public Observed create(StackContext context) {
        JsonNode body = api.post(ServiceType.NETWORK, "/security-groups", Json.object(o -> o.set("security_group", Json.object(g -> g
                .put("name", name(context))
                .put("description", String.join(" ", OpenStackTags.of(context, ROLE)))))));
        String id = body.path("security_group").path("id").asText();
        // Tags cannot be given at creation; until they are set, discover cannot see the group, so set them first.
        api.put(ServiceType.NETWORK, "/security-groups/" + id + "/tags", Json.object(o -> o.set("tags", Json.array(OpenStackTags.of(context, ROLE)))));
        rules.forEach(rule -> addRule(id, rule));
        return reread(id);
    }

    @Override
    public Observed update(Observed observed, StackContext context) {
        missingRules(observed).forEach(rule -> addRule(observed.physicalId(), rule));
        return reread(observed.physicalId());
    }

    private Observed reread(String id) {
        JsonNode group = api.get(ServiceType.NETWORK, "/security-groups/" + id).path("security_group");
        return observe(group, group.path("tags"));
    }

    private void addRule(String groupId, Rule rule) {
        ObjectNode spec = Json.object(r -> {
            r.put("security_group_id", groupId).put("direction", "ingress").put("ethertype", "IPv4")
                    .put("protocol", rule.protocol()).put("remote_ip_prefix", rule.cidr());
            if (rule.port() != null) {
                r.put("port_range_min", rule.port()).put("port_range_max", rule.port());
            }
        });
        try {
            api.post(ServiceType.NETWORK, "/security-group-rules", Json.object(o -> o.set("security_group_rule", spec)));
        } catch (OpenStackException e) {
            if (!e.conflict()) {
                throw e;
            }
            // SecurityGroupRuleExists: another up (or a retry of this one) got there first
        }
    }

    /** Nova releases the server's port a moment after the server is gone; until then Neutron says the group is in use. */
    @Override
    public void delete(Observed observed, StackContext context) {
        Failsafe.with(RetryPolicy.<Void>builder()
                        .handleIf(e -> e instanceof OpenStackException o && o.conflict())
                        .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(5))
                        .withMaxDuration(inUseTimeout)
                        .withMaxAttempts(-1)
                        .build())
                .run(() -> api.delete(ServiceType.NETWORK, "/security-groups/" + observed.physicalId()));
    }
}
