package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hybrid.cli.engine.Address;
import dev.hybrid.cli.engine.OutputKey;
import dev.hybrid.cli.engine.OutputValues;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A Nova key pair named {@code hybrid-<stack>-<deployment>}. Key pairs carry no tags, so the name is the tag:
 * a name with this stack's prefix and a deployment-id suffix is ours.
 */
public final class Keypair implements Resource {
    public static final Address<Keypair> ADDRESS = Address.of(Keypair.class, Keypair.KEY);
    public static final OutputKey<Keypair, String> NAME = OutputKey.text(Keypair.class, "name");
    public static final String KEY = "os:keypair";
    private static final String DEPLOYMENT_ID = "[a-z0-9]+";

    private final OpenStackApi api;
    private final Supplier<String> publicKey;

    /** @param publicKey read only when the key pair must be created */
    public Keypair(OpenStackApi api, Supplier<String> publicKey) {
        this.api = api;
        this.publicKey = publicKey;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "keypair";
    }

    private static String prefix(StackContext context) {
        return "hybrid-" + context.stack() + "-";
    }

    static String name(StackContext context) {
        return prefix(context) + context.deploymentId();
    }

    @Override
    public List<Observed> discover(StackContext context) {
        List<Observed> found = new ArrayList<>();
        for (JsonNode entry : api.get(ServiceType.COMPUTE, "/os-keypairs").path("keypairs")) {
            String name = entry.path("keypair").path("name").asText();
            String suffix = name.startsWith(prefix(context)) ? name.substring(prefix(context).length()) : "";
            if (suffix.matches(DEPLOYMENT_ID)) {
                found.add(new Observed(name, suffix, Map.of("fingerprint", entry.path("keypair").path("fingerprint").asText()),
                        OutputValues.of(NAME, name).toMap()));
            }
        }
        return found;
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        return Diff.keep();
    }

    @Override
    public Observed create(StackContext context) {
        String name = name(context);
        try {
            api.post(ServiceType.COMPUTE, "/os-keypairs", Json.object(o -> o.set("keypair", Json.object(k -> k
                    .put("name", name).put("type", "ssh").put("public_key", publicKey.get())))));
        } catch (OpenStackException e) {
            if (!e.conflict()) {
                throw e;
            }
            // imported by an earlier, interrupted up: same name, same deployment
        }
        return new Observed(name, context.deploymentId(), Map.of(), OutputValues.of(NAME, name).toMap());
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        api.delete(ServiceType.COMPUTE, "/os-keypairs/" + observed.physicalId());
    }
}
