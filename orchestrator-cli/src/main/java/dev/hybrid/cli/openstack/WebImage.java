package dev.hybrid.cli.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hybrid.cli.engine.Address;
import dev.hybrid.cli.engine.OutputKey;
import dev.hybrid.cli.engine.OutputValues;
import dev.hybrid.cli.engine.Diff;
import dev.hybrid.cli.engine.Observed;
import dev.hybrid.cli.engine.ProgressBars;
import dev.hybrid.cli.engine.Resource;
import dev.hybrid.cli.engine.StackContext;
import dev.hybrid.contract.Roles;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web tier's VMDK in Glance, uploaded by this stack. The bytes are streamed from their source to Glance's
 * {@code /file} endpoint with a Content-Length, so memory stays constant whatever the size. An image of this
 * stack with the same size and hash is kept; one whose upload never finished is replaced.
 */
public final class WebImage implements Resource {
    public static final Address<WebImage> ADDRESS = Address.of(WebImage.class, WebImage.KEY);
    public static final OutputKey<WebImage, String> ID = OutputKey.text(WebImage.class, "id");
    public static final String KEY = "os:image";
    static final String ROLE = Roles.WEB_IMAGE;
    static final String SOURCE_PROPERTY = "hybrid_source";
    private static final Logger log = LoggerFactory.getLogger(WebImage.class);
    /** Far below what a loopback or LAN Glance takes, so only a stalled upload times out. */
    private static final long SLOWEST_BYTES_PER_SECOND = 1L << 20;

    private final OpenStackApi api;
    private final ImageSource source;
    private final ProgressBars bars;

    /** @param source null when the server boots an image already in Glance: then an earlier upload is deleted */
    public WebImage(OpenStackApi api, ImageSource source, ProgressBars bars) {
        this.api = api;
        this.source = source;
        this.bars = bars;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String kind() {
        return "glance-image";
    }

    @Override
    public boolean wanted(StackContext context) {
        return source != null;
    }

    static String name(StackContext context) {
        return "hybrid-" + context.stack() + "-web";
    }

    @Override
    public List<Observed> discover(StackContext context) {
        List<Observed> found = new ArrayList<>();
        String path = "/images?limit=100&tag=" + OpenStackTags.stackFilter(context);
        while (path != null) {
            JsonNode page = api.get(ServiceType.IMAGE, path);
            for (JsonNode image : page.path("images")) {
                if (OpenStackTags.belongsTo(image.path("tags"), context, ROLE)) {
                    found.add(observe(image));
                }
            }
            // Glance's next link starts with /v2, which the service root already ends with.
            path = page.hasNonNull("next") ? page.get("next").asText().replaceFirst("^/v2", "") : null;
        }
        return found;
    }

    private static Observed observe(JsonNode image) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("status", image.path("status").asText());
        attributes.put("size", image.path("size").asText(""));
        attributes.put("hash_algo", image.path("os_hash_algo").asText(""));
        attributes.put("hash", image.path("os_hash_value").asText(""));
        attributes.put("source", image.path(SOURCE_PROPERTY).asText(""));
        String id = image.path("id").asText();
        return new Observed(id, OpenStackTags.deployment(image.path("tags")), attributes, OutputValues.of(ID, id).toMap());
    }

    @Override
    public Diff compare(Observed observed, StackContext context) {
        Map<String, String> image = observed.attributes();
        if (!"active".equals(image.get("status"))) {
            return Diff.replace("its upload never finished (status " + image.get("status") + ")");
        }
        long size = source.size();
        if (size >= 0 && !String.valueOf(size).equals(image.get("size"))) {
            return Diff.replace("the source is " + size + " bytes, the image " + image.get("size"));
        }
        if (source.fingerprint().equals(image.get("source"))) {
            return Diff.keep();
        }
        // Another file or URL of the same size: only its hash tells whether it is the same image.
        String hash = source.hash(image.get("hash_algo"));
        if (hash == null) {
            return Diff.replace("the source " + source + " changed since it was uploaded");
        }
        return hash.equalsIgnoreCase(image.get("hash")) ? Diff.keep()
                : Diff.replace("the source " + source + " differs from the uploaded image (" + image.get("hash_algo") + ")");
    }

    @Override
    public Observed create(StackContext context) {
        JsonNode created = api.post(ServiceType.IMAGE, "/images", Json.object(o -> o
                .put("name", name(context))
                .put("disk_format", "vmdk")
                .put("container_format", "bare")
                .put("visibility", "private")
                .put(SOURCE_PROPERTY, source.fingerprint())
                .set("tags", Json.array(OpenStackTags.of(context, ROLE)))));
        String id = created.path("id").asText();
        try {
            upload(id);
        } catch (RuntimeException e) {
            // The tagged, queued image would be replaced by the next up anyway; removing it now keeps Glance tidy.
            try {
                api.delete(ServiceType.IMAGE, "/images/" + id);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return observe(api.get(ServiceType.IMAGE, "/images/" + id));
    }

    private void upload(String id) {
        String path = "/images/" + id + "/file";
        ImageSource.Opened opened = source.open();
        long size = opened.size();
        Duration timeout = Duration.ofSeconds(120 + Math.max(0, size) / SLOWEST_BYTES_PER_SECOND);
        long started = System.nanoTime();
        try (ProgressBars.Bar bar = bars.start("upload " + source, size, "MiB")) {
            ImageSource.CountingStream counted = new ImageSource.CountingStream(opened.stream(), bar::stepTo);
            HttpRequest.BodyPublisher body = size >= 0
                    ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> counted), size)
                    : HttpRequest.BodyPublishers.ofInputStream(() -> counted);
            HttpRequest.Builder request = api.request(ServiceType.IMAGE, path).timeout(timeout)
                    .header("Content-Type", "application/octet-stream").PUT(body);
            HttpResponse<String> response = api.sendOnce(ServiceType.IMAGE, path, request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new OpenStackException(response.statusCode(), OpenStackApi.describeFailure(ServiceType.IMAGE, "PUT", path, response));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            log.info("uploaded {} MiB of {} to Glance in {} s ({} MiB/s)", counted.count() >> 20, source, String.format("%.1f", seconds),
                    String.format("%.1f", counted.count() / 1048576.0 / Math.max(seconds, 1e-3)));
        } finally {
            opened.closeQuietly();
        }
    }

    @Override
    public void delete(Observed observed, StackContext context) {
        api.delete(ServiceType.IMAGE, "/images/" + observed.physicalId());
    }
}
