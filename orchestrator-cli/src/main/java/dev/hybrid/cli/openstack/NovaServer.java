package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hybrid.cli.engine.Address;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.OutputKey;
import dev.hybrid.cli.engine.OutputValues;
import dev.hybrid.cli.engine.Ref;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.cli.engine.Tags;
import dev.hybrid.cli.engine.Waiter;
import dev.hybrid.contract.Roles;
import dev.hybrid.contract.TagKeys;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Nova server that runs the web tier (not to be confused with the web tier's own HTTP server), booted with cloud-init user-data that carries its settings.
 * Nova tags are set at boot (microversion 2.52+), so no untagged server can be left by an interrupted up.
 */
public final class NovaServer implements Resource {
    public static final String KEY = "os:server";
    public static final Address<NovaServer> ADDRESS = Address.of(NovaServer.class, KEY);
    public static final OutputKey<NovaServer, String> ID = OutputKey.text(NovaServer.class, "id");
    public static final OutputKey<NovaServer, String> FIXED_IP = OutputKey.text(NovaServer.class, "fixed_ip");
    static final String ROLE = Roles.WEB_SERVER;
    /** How often Nova is asked while a server boots or goes. */
    static final Duration POLL = Duration.ofMillis(500);
    private static final String PRESENT = "present";
    private static final Ref<String> IMAGE_ID = WebImage.ADDRESS.get(WebImage.ID);
    private static final Ref<String> KEYPAIR = Keypair.ADDRESS.get(Keypair.NAME);
    private static final Ref<String> GROUP = SecurityGroup.ADDRESS.get(SecurityGroup.NAME);

    /** The server's metadata key that holds {@link Spec#settingsFingerprint}. */
    static final String SETTINGS = TagKeys.SETTINGS;

    /**
     * What the server is made of; {@code userData} renders the cloud-config from the outputs of the walk.
     *
     * @param settingsFingerprint a hash of what the user-data says, with the access key's id in place of its secret: a
     *                            server whose fingerprint differs (new queues, a rotated key) is replaced, since
     *                            cloud-init reads user-data only at first boot; empty while an output it needs is unknown
     * @param credentialResources keys of the resources that issue the credentials in the user-data
     * @param settingsReads       the outputs of other resources that the user-data carries
     */
    public record Spec(String flavor, String network, ImageRef image, Function<StackContext, String> userData,
                       Function<StackContext, Optional<String>> settingsFingerprint, Duration activeTimeout,
                       Set<String> credentialResources, Set<Ref<?>> settingsReads) {
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
    private final Waiter waiter;

    public NovaServer(OpenStackApi api, Spec spec, Waiter waiter) {
        this.api = api;
        this.spec = spec;
        this.waiter = waiter;
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
    public Set<Ref<?>> reads() {
        Set<Ref<?>> refs = new LinkedHashSet<>(List.of(KEYPAIR, GROUP));
        if (spec.image() instanceof ImageRef.Uploaded) {
            refs.add(IMAGE_ID);
        }
        refs.addAll(spec.settingsReads());
        return refs;
    }

    /** Also the image when it is not uploaded, so teardown deletes an earlier upload only after the server; and the credentials. */
    @Override
    public Set<String> dependsOn() {
        Set<String> keys = new LinkedHashSet<>(Ref.resources(reads()));
        keys.add(WebImage.KEY);
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
        OutputValues outputs = OutputValues.of(ID, id);
        fixedAddress(server).ifPresent(ip -> outputs.and(FIXED_IP, ip));
        return new Observed(id, OpenStackTags.deployment(server.path("tags")), attributes, outputs.toMap());
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
        Optional<String> image = imageId(context);
        if (image.isEmpty()) {
            return Diff.replace("image " + server.get("image") + " -> " + Ref.knownAfterApply(List.of(IMAGE_ID)));
        }
        if (!image.get().equals(server.get("image"))) {
            return Diff.replace("image " + server.get("image") + " -> " + image.get());
        }
        List<Ref<?>> unknown = context.unknown(spec.settingsReads());
        Optional<String> fingerprint = unknown.isEmpty() ? spec.settingsFingerprint().apply(context) : Optional.empty();
        if (fingerprint.isEmpty()) {
            return Diff.replace("its user-data changes: " + (unknown.isEmpty() ? "the web tier's access key is" : Ref.knownAfterApply(unknown))
                    + (unknown.isEmpty() ? " known after apply" : ""));
        }
        if (!fingerprint.get().equals(server.get("settings"))) {
            return Diff.replace(server.get("settings").isEmpty() ? "it carries no settings fingerprint"
                    : "its user-data is out of date (queues, buckets, endpoints, port or access key changed)");
        }
        return Diff.keep();
    }

    /** Empty while the image is yet to be uploaded (in a plan). */
    private Optional<String> imageId(StackContext context) {
        if (spec.image() instanceof ImageRef.Named named) {
            JsonNode images = api.get(ServiceType.IMAGE, "/images?name=" + URLEncoder.encode(named.name(), StandardCharsets.UTF_8)).path("images");
            if (images.isEmpty()) {
                throw new OpenStackException(404, "Glance of cloud '" + api.cloudName() + "' has no image named " + named.name()
                        + ": upload the web-tier VMDK with --web-image PATH (or web_image in hybrid.yaml)");
            }
            return Optional.of(images.get(0).path("id").asText());
        }
        return context.get(IMAGE_ID);
    }

    @Override
    public Observed create(StackContext context) {
        JsonNode flavor = lookupFlavor();
        String flavorId = flavor.path("id").asText();
        String networkId = lookupNetwork();
        String imageId = imageId(context).orElseThrow(() -> new IllegalStateException(IMAGE_ID + " is not known yet"));
        requireDiskFits(flavor, imageId);
        String fingerprint = spec.settingsFingerprint().apply(context)
                .orElseThrow(() -> new IllegalStateException("the web tier's access key is not known yet"));
        String userData = Base64.getEncoder().encodeToString(spec.userData().apply(context).getBytes(StandardCharsets.UTF_8));
        Map<String, String> metadata = new java.util.HashMap<>(Tags.of(context, ROLE));
        metadata.put(SETTINGS, fingerprint);
        JsonNode created = postServer(Json.object(o -> o.set("server", Json.object(s -> {
            s.put("name", name(context)).put("flavorRef", flavorId).put("imageRef", imageId)
                    .put("key_name", context.require(KEYPAIR))
                    // Nova stores user-data as given; it must be Base64 already.
                    .put("user_data", userData);
            s.set("networks", Json.MAPPER.createArrayNode().add(Json.object(n -> n.put("uuid", networkId))));
            s.set("security_groups", Json.MAPPER.createArrayNode().add(Json.object(g -> g.put("name",
                    context.require(GROUP)))));
            s.set("metadata", Json.MAPPER.valueToTree(metadata));
            s.set("tags", Json.array(OpenStackTags.of(context, ROLE)));
        }))));
        String id = created.path("server").path("id").asText();
        return awaitActive(id);
    }

    private static final long GIB = 1L << 30;

    /**
     * Nova refuses a flavor whose root disk is smaller than the image's virtual size or its {@code min_disk}, with a 400
     * about "Flavor's disk"; this says so before the server is asked for, naming the flavors that fit. A flavor disk of
     * 0 means "as large as the image" and always fits.
     */
    private void requireDiskFits(JsonNode flavor, String imageId) {
        long flavorGb = flavor.path("disk").asLong(0);
        if (flavorGb <= 0) {
            return;
        }
        Optional<JsonNode> image = api.find(ServiceType.IMAGE, "/images/" + imageId);
        if (image.isEmpty()) {
            return;
        }
        long virtualBytes = image.get().path("virtual_size").asLong(0);
        long minDiskGb = image.get().path("min_disk").asLong(0);
        long neededGb = Math.max(minDiskGb, (virtualBytes + GIB - 1) / GIB);
        if (neededGb <= flavorGb) {
            return;
        }
        throw new OpenStackException(400, "flavor " + spec.flavor() + " has a " + flavorGb + " GB disk, too small for the web image ("
                + (virtualBytes > 0 ? "virtual size " + String.format(java.util.Locale.ROOT, "%.1f", virtualBytes / (double) GIB) + " GB" : "")
                + (virtualBytes > 0 && minDiskGb > 0 ? ", " : "") + (minDiskGb > 0 ? "min_disk " + minDiskGb + " GB" : "")
                + "): set openstack.flavor in hybrid.yaml to one with at least " + neededGb + " GB" + flavorsThatFit(neededGb));
    }

    private String flavorsThatFit(long neededGb) {
        List<String> names = new ArrayList<>();
        for (JsonNode flavor : api.get(ServiceType.COMPUTE, "/flavors/detail").path("flavors")) {
            long disk = flavor.path("disk").asLong(0);
            if (disk == 0 || disk >= neededGb) {
                names.add(flavor.path("name").asText());
            }
        }
        return names.isEmpty() ? " (none here has one)" : ", e.g. " + String.join(", ", names.subList(0, Math.min(5, names.size())));
    }

    /** Nova's own refusal of a small disk (an image without a virtual size, a race with the check above) as one line too. */
    private JsonNode postServer(JsonNode body) {
        try {
            return api.post(ServiceType.COMPUTE, "/servers", body);
        } catch (OpenStackException e) {
            if (e.status() == 400 && e.getMessage().contains("disk is too small")) {
                throw new OpenStackException(400, "flavor " + spec.flavor() + " is too small for the web image, says Nova ("
                        + e.getMessage().replaceFirst("^.*?failed with HTTP 400: ", "")
                        + "): set openstack.flavor in hybrid.yaml to a flavor with a larger disk ('openstack flavor list')");
            }
            throw e;
        }
    }

    /** Nova builds the server (BUILD) until it is ACTIVE; ERROR, or any other state, ends the wait. */
    private Observed awaitActive(String id) {
        JsonNode server = waiter.until("server " + id + " to ACTIVE", () -> api.find(ServiceType.COMPUTE, "/servers/" + id)
                        .map(found -> Waiter.Observation.of(found.path("server"), found.path("server").path("status").asText()))
                        .orElseGet(Waiter.Observation::notFound))
                .pending("BUILD").target("ACTIVE").pollEvery(POLL).timeout(spec.activeTimeout())
                .onUnexpected(seen -> "server " + id + " went to " + seen.state() + ": "
                        + seen.value().path("fault").path("message").asText("Nova gave no fault message")
                        + " (the next 'hybrid up' replaces it; 'openstack server show " + id + "' has the details)")
                .onTimeout(seen -> "server " + id + " is still " + (seen.found() ? seen.state() : "not found") + " after "
                        + spec.activeTimeout().toSeconds() + " s; the next 'hybrid up' waits for it again")
                .await();
        return observe(server);
    }

    /** The flavor with its disk size ({@code /flavors/detail}). */
    private JsonNode lookupFlavor() {
        for (JsonNode flavor : api.get(ServiceType.COMPUTE, "/flavors/detail").path("flavors")) {
            if (spec.flavor().equals(flavor.path("name").asText()) || spec.flavor().equals(flavor.path("id").asText())) {
                return flavor;
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
        String id = observed.physicalId();
        api.delete(ServiceType.COMPUTE, "/servers/" + id);
        waiter.until("server " + id + " to be deleted", () -> api.find(ServiceType.COMPUTE, "/servers/" + id)
                        .map(found -> Waiter.Observation.of(found, PRESENT)).orElseGet(Waiter.Observation::notFound))
                // Whatever its status, it is on its way out: the wait, with no target, ends when Nova no longer finds it.
                .pending(PRESENT).noting(seen -> seen.value().path("server").path("status").asText())
                .pollEvery(POLL).timeout(spec.activeTimeout())
                .onTimeout(seen -> "server " + id + " is still there " + spec.activeTimeout().toSeconds() + " s after it was deleted")
                .await();
    }
}
