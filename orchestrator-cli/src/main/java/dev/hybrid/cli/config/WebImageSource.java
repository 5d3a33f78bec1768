package dev.hybrid.cli.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the web tier's VM image comes from: a local file, an S3 object, an HTTPS URL, or an image already in Glance. */
public sealed interface WebImageSource {

    /** @param origin where the path was written, for the message when the file is missing */
    record LocalFile(Path path, String origin) implements WebImageSource {
        public LocalFile(Path path) {
            this(path, "--web-image");
        }

        /**
         * Only an up or plan needs the file; teardown and status must work after it is gone, so parsing does not ask.
         */
        public DiskImageFormat requireFile() {
            if (!Files.isRegularFile(path)) {
                throw new ConfigFileException(origin + ": web_image file " + path + " does not exist" + USAGE);
            }
            try {
                DiskImageFormat format = DiskImageFormat.detect(path).orElseThrow(() -> new ConfigFileException(origin + ": web_image file " + path
                        + " is not a disk image: its first bytes match no format Glance takes (VMDK, qcow2, VHD, VHDX, ISO, "
                        + "or a raw disk with a partition table); build one with 'hybrid image build web-tier'"));
                if (format == DiskImageFormat.VMDK) {
                    DiskImageFormat.vmdkProblem(path).ifPresent(problem -> {
                        throw new ConfigFileException(origin + ": web_image file " + path + " is a VMDK that Glance refuses: " + problem
                                + "; convert it with 'qemu-img convert -O vmdk -o subformat=streamOptimized " + path + " OUT.vmdk'");
                    });
                }
                return format;
            } catch (IOException e) {
                throw new ConfigFileException(origin + ": web_image file " + path + " cannot be read: " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    record S3Object(String bucket, String key) implements WebImageSource {
        @Override
        public String toString() {
            return "s3://" + bucket + "/" + key;
        }
    }

    record Download(URI url) implements WebImageSource {
        @Override
        public String toString() {
            return url.toString();
        }
    }

    record GlanceImage(String name) implements WebImageSource {
        @Override
        public String toString() {
            return "glance:" + name;
        }
    }

    /**
     * Reads {@code PATH}, {@code s3://BUCKET/KEY}, {@code https://…} or {@code glance:NAME}.
     *
     * @param origin where the value was written, for the message if it is unusable
     */
    String USAGE = ": web_image must be a file PATH, s3://BUCKET/KEY, https://URL or glance:NAME";

    static WebImageSource parse(String value, String origin) {
        String usage = USAGE;
        if (value.startsWith("glance:")) {
            String name = value.substring("glance:".length());
            if (name.isBlank()) {
                throw new ConfigFileException(origin + ": web_image 'glance:' names no image" + usage);
            }
            return new GlanceImage(name);
        }
        if (value.startsWith("s3://")) {
            String rest = value.substring("s3://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new ConfigFileException(origin + ": web_image '" + value + "' needs both bucket and key" + usage);
            }
            return new S3Object(rest.substring(0, slash), rest.substring(slash + 1));
        }
        if (value.startsWith("https://") || value.startsWith("http://")) {
            try {
                URI url = URI.create(value);
                if (url.getHost() == null) {
                    throw new IllegalArgumentException("no host");
                }
                return new Download(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigFileException(origin + ": web_image '" + value + "' is not a valid URL" + usage);
            }
        }
        if (value.contains("://")) {
            throw new ConfigFileException(origin + ": web_image '" + value + "' uses an unsupported scheme" + usage);
        }
        return new LocalFile(Path.of(value.startsWith("~/") ? System.getProperty("user.home") + value.substring(1) : value), origin);
    }
}
