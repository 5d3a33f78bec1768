package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import dev.hybrid.contract.Roles;
import dev.hybrid.contract.TagKeys;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Nova server that runs the web tier, booted with cloud-init user-data that carries its settings.
 * Nova tags are set at boot (microversion 2.52+), so no untagged server can be left by an interrupted up.
 */
public final class WebServer implements Resource {
    public static final String KEY = "os:server";
    public static final String OUTPUT_ID = "id";
    public static final String OUTPUT_FIXED_IP = "fixed_ip";
    static final String ROLE = Roles.WEB_SERVER;

    /** The server's metadata key that holds {@link Spec#settingsFingerprint}. */
    static final String SETTINGS = TagKeys.SETTINGS;

    /**
     * What the server is made of; {@code userData} renders the cloud-config from the outputs of the walk.
     *
     * @param settingsFingerprint a hash of what the user-data says, with the access key's id in place of its secret: a
     *                            server whose fingerprint differs (new queues, a rotated key) is replaced, since
     *                            cloud-init reads user-data only at first boot
     * @param credentialResources keys of the resources that issue the credentials in the user-data
     */
    public record Spec(String flavor, String network, ImageRef image, Function<StackContext, String> userData,
                       Function<StackContext, String> settingsFingerprint, Duration activeTimeout, Set<String> credentialResources) {
    }

    /** The Glance image by this stack's upload, or an existing image by name. */
    public sealed interface ImageRef {
        record Uploaded() implements ImageRef {
        }

        record Named(String name) implements ImageRef {
        }
    }

    private final OpenStackApi api;
    private final Spec spec;
    private final ProgressBars bars;

    public WebServer(OpenStackApi api, Spec spec, ProgressBars bars) {
        this.api = api;
        this.spec = spec;
        this.bars = bars;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "server";
    }

    @Override
    public Set<String> dependsOn() {
        // The image even when it is not uploaded: teardown then deletes an earlier upload only after the server.
        Set<String> keys = new LinkedHashSet<>(List.of(WebImage.KEY, Keypair.KEY, SecurityGroup.KEY, "sqs:request", "sqs:response",
                "s3:input", "s3:output"));
        keys.addAll(spec.credentialResources());
        return keys;
    }

    static String name(StackContext context) {
        return "hybrid-" + context.stack() + "-web";
    }

    @Override
    public List<Observed> discover(StackContext context) {
        List<Observed> found = new ArrayList<>();
        for (JsonNode server : api.get(ServiceType.COMPUTE, "/servers/detail?tags=" + OpenStackTags.stackFilter(context)).path("servers")) {
            if (OpenStackTags.belongsTo(server.path("tags"), context, ROLE)) {
                found.add(observe(server));
            }
        }
        return found;
    }

    static Observed observe(JsonNode server) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("status", server.path("status").asText());
        attributes.put("image", server.path("image").path("id").asText(""));
        attributes.put("flavor", server.path("flavor").path("original_name").asText(""));
        attributes.put("fault", server.path("fault").path("message").asText(""));
        attributes.put("settings", server.path("metadata").path(SETTINGS).asText(""));
        String id = server.path("id").asText();
        Map<String, String> outputs = new HashMap<>(Map.of(OUTPUT_ID, id));
        fixedAddress(server).ifPresent(ip -> outputs.put(OUTPUT_FIXED_IP, ip));
        return new Observed(id, OpenStackTags.deployment(server.path("tags")), attributes, outputs);
    }

    private static java.util.Optional<String> fixedAddress(JsonNode server) {
        for (JsonNode network : server.path("addresses")) {
            for (JsonNode address : network) {
                if ("fixed".equals(address.path("OS-EXT-IPS:type").asText()) && address.path("version").asInt() == 4) {
                    return java.util.Optional.of(address.path("addr").asText());
                }
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        Map<String, String> server = observed.attributes();
        if ("ERROR".equals(server.get("status"))) {
            return Diff.replace("it is in ERROR" + (server.get("fault").isEmpty() ? "" : ": " + server.get("fault")));
        }
        if (!spec.flavor().equals(server.get("flavor"))) {
            return Diff.replace("flavor " + server.get("flavor") + " -> " + spec.flavor());
        }
        String image = imageId(context);
        if (!image.equals(server.get("image"))) {
            return Diff.replace("image " + server.get("image") + " -> " + image);
        }
        if (!spec.settingsFingerprint().apply(context).equals(server.get("settings"))) {
            return Diff.replace(server.get("settings").isEmpty() ? "it carries no settings fingerprint"
                    : "its user-data is out of date (queues, buckets, endpoints, port or access key changed)");
        }
        return Diff.keep();
    }

    private String imageId(StackContext context) {
        if (spec.image() instanceof ImageRef.Named named) {
            JsonNode images = api.get(ServiceType.IMAGE, "/images?name=" + URLEncoder.encode(named.name(), StandardCharsets.UTF_8)).path("images");
            if (images.isEmpty()) {
                throw new OpenStackException(404, "Glance of cloud '" + api.cloudName() + "' has no image named " + named.name()
                        + ": upload the web-tier VMDK with --web-image PATH (or web_image in hybrid.yaml)");
            }
            return images.get(0).path("id").asText();
        }
        return context.output(WebImage.KEY, WebImage.OUTPUT_ID).orElse("(not yet uploaded)");
    }

    @Override
    public Observed create(StackContext context) {
        String flavorId = lookupFlavor();
        String networkId = lookupNetwork();
        String imageId = imageId(context);
        String userData = Base64.getEncoder().encodeToString(spec.userData().apply(context).getBytes(StandardCharsets.UTF_8));
        Map<String, String> metadata = new java.util.HashMap<>(Tags.of(context, ROLE));
        metadata.put(SETTINGS, spec.settingsFingerprint().apply(context));
        JsonNode created = api.post(ServiceType.COMPUTE, "/servers", Json.object(o -> o.set("server", Json.object(s -> {
            s.put("name", name(context)).put("flavorRef", flavorId).put("imageRef", imageId)
                    .put("key_name", context.output(Keypair.KEY, Keypair.OUTPUT_NAME).orElseThrow())
                    // Nova stores user-data as given; it must be Base64 already.
                    .put("user_data", userData);
            s.set("networks", Json.MAPPER.createArrayNode().add(Json.object(n -> n.put("uuid", networkId))));
            s.set("security_groups", Json.MAPPER.createArrayNode().add(Json.object(g -> g.put("name",
                    context.output(SecurityGroup.KEY, SecurityGroup.OUTPUT_NAME).orElseThrow()))));
            s.set("metadata", Json.MAPPER.valueToTree(metadata));
            s.set("tags", Json.array(OpenStackTags.of(context, ROLE)));
        }))));
        String id = created.path("server").path("id").asText();
        return awaitActive(id);
    }

    private Observed awaitActive(String id) {
        long deadline = System.nanoTime() + spec.activeTimeout().toNanos();
        try (ProgressBars.Bar bar = bars.start("server " + id + " to ACTIVE", -1, "")) {
            while (true) {
                JsonNode server = api.get(ServiceType.COMPUTE, "/servers/" + id).path("server");
                String status = server.path("status").asText();
                bar.note(status);
                if ("ACTIVE".equals(status)) {
                    return observe(server);
                }
                if ("ERROR".equals(status)) {
                    String fault = server.path("fault").path("message").asText("Nova gave no fault message");
                    throw new OpenStackException(500, "server " + id + " went to ERROR: " + fault
                            + " (the next 'hybrid up' replaces it; 'openstack server show " + id + "' has the details)");
                }
                if (System.nanoTime() > deadline) {
                    throw new OpenStackException(0, "server " + id + " is still " + status + " after "
                            + spec.activeTimeout().toSeconds() + " s; the next 'hybrid up' waits for it again");
                }
                sleep(Duration.ofMillis(500));
            }
        }
    }

    private String lookupFlavor() {
        for (JsonNode flavor : api.get(ServiceType.COMPUTE, "/flavors").path("flavors")) {
            if (spec.flavor().equals(flavor.path("name").asText()) || spec.flavor().equals(flavor.path("id").asText())) {
                return flavor.path("id").asText();
            }
        }
        throw new OpenStackException(404, "cloud '" + api.cloudName() + "' has no flavor " + spec.flavor()
                + ": choose one of 'openstack flavor list' with openstack.flavor in hybrid.yaml");
    }

    private String lookupNetwork() {
        return Networks.idByName(api, spec.network(), false);
    }

    /** Waits until Nova has really deleted it, since its port (and so the security group) is freed only then. */
    @Override
    public void delete(Observed observed, StackContext context) {
        api.delete(ServiceType.COMPUTE, "/servers/" + observed.physicalId());
        long deadline = System.nanoTime() + spec.activeTimeout().toNanos();
        while (api.find(ServiceType.COMPUTE, "/servers/" + observed.physicalId()).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new OpenStackException(0, "server " + observed.physicalId() + " is still there "
                        + spec.activeTimeout().toSeconds() + " s after it was deleted");
            }
            sleep(Duration.ofMillis(500));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenStackException("interrupted", e);
        }
    }
}
