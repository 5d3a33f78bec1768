package dev.hybrid.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StackConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("hybrid.yaml"), yaml);
    }

    @Test
    void noFileMeansDefaults() {
        StackConfig config = StackConfigFile.load(null, Map.of(), Map.of());
        assertEquals(StackConfig.defaults(), config);
        assertEquals("hybrid", config.stack());
        assertEquals(new StackConfig.OpenStack(null, "m1.small", "private", "public", 8080, null, new WebImageSource.GlanceImage("hybrid-web")),
                config.openstack());
        assertEquals(new StackConfig.Aws("us-east-1", "t3.medium", new StackConfig.Scaling(0, 20, 0)), config.aws());
        assertEquals(new StackConfig.Model("djl://ai.djl.pytorch/resnet", null, "cse546"), config.model());
        assertEquals(ReplyMode.LABEL, config.reply());
    }

    @Test
    void everyKeyIsRead() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/config/hybrid-full.yaml").toURI());
        StackConfig config = StackConfigFile.load(file, Map.of(), Map.of());
        assertEquals(new StackConfig("cse546-demo",
                new StackConfig.OpenStack("devstack-lite", "m1.medium", "tenant-net", "ext-net", 80, "198.51.100.0/24",
                        new WebImageSource.S3Object("images", "web.qcow2")),
                new StackConfig.Aws("eu-west-1", "t3.small", new StackConfig.Scaling(1, 5, 2)),
                new StackConfig.Model("file:///models/resnet18", "/models/synset.txt", "cse546"),
                ReplyMode.NAME_LABEL), config);
    }

    @Test
    void aPartialFileKeepsTheOtherDefaults() throws Exception {
        StackConfig config = StackConfigFile.load(write("aws:\n  scaling:\n    max: 3\nopenstack:\n  flavor: m1.large\n"), Map.of(), Map.of());
        assertEquals(3, config.aws().scaling().max());
        assertEquals(0, config.aws().scaling().min());
        assertEquals("m1.large", config.openstack().flavor());
        assertEquals("private", config.openstack().network());
        assertEquals("t3.medium", config.aws().instanceType());
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile() throws Exception {
        Path file = write("model:\n  url: file:///from/file\n  profile: cse546\nopenstack:\n  web_port: 9000\n");
        Map<String, String> env = Map.of("HYBRID_MODEL_URL", "file:///from/env", "HYBRID_MODEL_PROFILE", "imagenet");
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("model.url", "file:///from/flag");
        flags.put("openstack.web_port", "8443");
        flags.put("aws.scaling.warm_pool", "4");
        flags.put("reply", "name-label");
        StackConfig config = StackConfigFile.load(file, env, flags);
        assertEquals("file:///from/flag", config.model().url());
        assertEquals("imagenet", config.model().profile());
        assertEquals(8443, config.openstack().webPort());
        assertEquals(4, config.aws().scaling().warmPool());
        assertEquals(ReplyMode.NAME_LABEL, config.reply());
    }

    static Stream<Arguments> webImages() {
        return Stream.of(
                Arguments.of("glance:ubuntu-22.04", new WebImageSource.GlanceImage("ubuntu-22.04")),
                Arguments.of("s3://bucket/path/to/web.qcow2", new WebImageSource.S3Object("bucket", "path/to/web.qcow2")),
                Arguments.of("https://images.example.org/web.qcow2", new WebImageSource.Download(URI.create("https://images.example.org/web.qcow2"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webImages")
    void webImageSources(String value, WebImageSource expected) {
        assertEquals(expected, StackConfigFile.load(null, Map.of(), Map.of("openstack.web_image", value)).openstack().webImage());
        assertEquals(value, expected.toString());
    }

    @Test
    void webImageFromALocalFile() throws Exception {
        Path image = Files.writeString(dir.resolve("web.qcow2"), "QFI\u00fb\0\0\0\3", java.nio.charset.StandardCharsets.ISO_8859_1);
        WebImageSource source = StackConfigFile.load(null, Map.of(), Map.of("openstack.web_image", image.toString())).openstack().webImage();
        assertEquals(image, ((WebImageSource.LocalFile) source).path());
        assertEquals(DiskImageFormat.QCOW2, ((WebImageSource.LocalFile) source).requireFile());
    }

    @Test
    void aWebImageThatIsNoDiskImageIsRefusedBeforeAnyCloudIsAsked() throws Exception {
        byte[] random = new byte[8192];
        new java.util.Random(7).nextBytes(random);
        random[510] = 0; // not by chance a boot signature
        for (Path file : List.of(Files.writeString(dir.resolve("notes.vmdk"), "hello, this is text\n"), Files.write(dir.resolve("noise.img"), random),
                Files.write(dir.resolve("empty.vmdk"), new byte[0]))) {
            WebImageSource source = StackConfigFile.load(null, Map.of(), Map.of("openstack.web_image", file.toString())).openstack().webImage();
            ConfigFileException e = assertThrows(ConfigFileException.class, ((WebImageSource.LocalFile) source)::requireFile);
            assertEquals("override openstack.web_image: web_image file " + file + " is not a disk image: its first bytes match no format "
                    + "Glance takes (VMDK, qcow2, VHD, VHDX, ISO, or a raw disk with a partition table); build one with "
                    + "'hybrid image build web-tier'", e.getMessage());
        }
    }

    @Test
    void diskImageFormatsAreToldByTheirMagic() throws Exception {
        byte[] mbr = new byte[1024];
        mbr[510] = 0x55;
        mbr[511] = (byte) 0xaa;
        byte[] iso = new byte[0x8010];
        System.arraycopy("CD001".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, iso, 0x8001, 5);
        byte[] fixedVhd = new byte[4096];
        System.arraycopy("conectix".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, fixedVhd, 4096 - 512, 8);
        Map<String, byte[]> samples = Map.of(
                "KDMV", "KDMV\1\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                "descriptor", "# Disk DescriptorFile\nversion=1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "qcow2", "QFI\u00fb\0\0\0\3".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                "vhdx", "vhdxfile".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "mbr", mbr, "iso", iso, "fixedVhd", fixedVhd);
        Map<String, DiskImageFormat> expected = Map.of("KDMV", DiskImageFormat.VMDK, "descriptor", DiskImageFormat.VMDK,
                "qcow2", DiskImageFormat.QCOW2, "vhdx", DiskImageFormat.VHDX, "mbr", DiskImageFormat.RAW, "iso", DiskImageFormat.ISO,
                "fixedVhd", DiskImageFormat.VHD);
        for (Map.Entry<String, byte[]> sample : samples.entrySet()) {
            Path file = Files.write(dir.resolve(sample.getKey()), sample.getValue());
            assertEquals(java.util.Optional.of(expected.get(sample.getKey())), DiskImageFormat.detect(file), sample.getKey());
        }
    }

    @Test
    void aVmdkThatGlanceWouldRefuseIsRefusedHereWithWhatIsWrongAndHowToConvertIt() throws Exception {
        for (String good : List.of("monolithicSparse", "streamOptimized")) {
            Path file = TestVmdk.sparse(dir.resolve(good + ".vmdk"), 1 << 20, good, "RW 2048 SPARSE \"" + good + ".vmdk\"");
            WebImageSource source = StackConfigFile.load(null, Map.of(), Map.of("openstack.web_image", file.toString())).openstack().webImage();
            assertEquals(DiskImageFormat.VMDK, ((WebImageSource.LocalFile) source).requireFile(), good);
        }
        Map<Path, String> bad = Map.of(
                TestVmdk.sparse(dir.resolve("flat.vmdk"), 1 << 20, "monolithicFlat", "RW 2048 FLAT \"flat-flat.vmdk\" 0"),
                "its descriptor says createType \"monolithicflat\", and only monolithicSparse and streamOptimized are taken",
                TestVmdk.sparse(dir.resolve("escape.vmdk"), 1 << 20, "monolithicSparse", "RW 2048 SPARSE \"/etc/shadow\""),
                "an extent of its descriptor names a path: rw 2048 sparse \"/etc/shadow\"",
                TestVmdk.sparse(dir.resolve("noextent.vmdk"), 1 << 20, "streamOptimized", ""),
                "its descriptor names no extent",
                Files.writeString(dir.resolve("descriptor.vmdk"), "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n"),
                "it is not a single-file sparse VMDK (a descriptor-only or ESX COW VMDK keeps its data elsewhere)",
                Files.write(dir.resolve("magic.vmdk"), "KDMV\1\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
                "it is too short for a VMDK sparse header");
        for (Map.Entry<Path, String> file : bad.entrySet()) {
            WebImageSource source = StackConfigFile.load(null, Map.of(), Map.of("openstack.web_image", file.getKey().toString())).openstack().webImage();
            ConfigFileException e = assertThrows(ConfigFileException.class, ((WebImageSource.LocalFile) source)::requireFile);
            assertEquals("override openstack.web_image: web_image file " + file.getKey() + " is a VMDK that Glance refuses: " + file.getValue()
                    + "; convert it with 'qemu-img convert -O vmdk -o subformat=streamOptimized " + file.getKey() + " OUT.vmdk'", e.getMessage());
        }
    }

    @Test
    void aMissingImageFileIsReadSoThatTeardownStillWorksAndIsRefusedWhenItIsNeeded() throws Exception {
        Path config = write("openstack:\n  web_image: /no/such/image.qcow2\n");
        WebImageSource source = StackConfigFile.load(config, Map.of(), Map.of()).openstack().webImage();
        ConfigFileException e = assertThrows(ConfigFileException.class, ((WebImageSource.LocalFile) source)::requireFile);
        assertEquals(config + ":2:3: web_image file /no/such/image.qcow2 does not exist: web_image must be a file PATH, s3://BUCKET/KEY, "
                + "https://URL or glance:NAME", e.getMessage());
    }

    static Stream<Arguments> fileErrors() {
        return Stream.of(
                Arguments.of("stak: x\n", "%s:1:1: unknown key 'stak' at the top level; known keys: stack, openstack, aws, model, reply"),
                Arguments.of("openstack:\n  flavour: m1.small\n",
                        "%s:2:3: unknown key 'flavour' in openstack; known keys: cloud, flavor, network, external_network, web_port, ssh_cidr, web_image"),
                Arguments.of("aws:\n  scaling:\n    minimum: 1\n", "%s:3:5: unknown key 'minimum' in aws.scaling; known keys: min, max, warm_pool"),
                Arguments.of("openstack:\n  web_port: http\n", "%s:2:3: openstack.web_port must be a whole number, got 'http'"),
                Arguments.of("openstack:\n  web_port: 70000\n", "%s:2:3: openstack.web_port must be between 1 and 65535, got 70000"),
                Arguments.of("openstack:\n  flavor: [a, b]\n", "%s:2:3: openstack.flavor must be a single value, not a list or mapping"),
                Arguments.of("openstack: m1.small\n", "%s:1:1: openstack must be a mapping with keys cloud, flavor, network, external_network, web_port, ssh_cidr, web_image"),
                Arguments.of("aws:\n  scaling:\n    min: 5\n    max: 2\n", "%s:3:5: aws.scaling.min (5) is above aws.scaling.max (2)"),
                Arguments.of("aws:\n  scaling:\n    warm_pool: 30\n", "%s:3:5: aws.scaling.warm_pool (30) is above aws.scaling.max (20), which also bounds the warm pool"),
                Arguments.of("aws:\n  scaling:\n    max: 0\n", "%s:3:5: aws.scaling.max must be between 1 and 1000, got 0"),
                Arguments.of("reply: html\n", "%s:1:1: reply must be one of label, name-label, got 'html'"),
                Arguments.of("model:\n  profile: coco\n", "%s:2:3: model.profile must be one of cse546, imagenet, got 'coco'"),
                Arguments.of("stack: My Stack\n",
                        "%s:1:1: stack 'My Stack' is not a valid stack name: use 1 to 20 lower-case letters, digits and dashes, starting with a letter "
                                + "and not ending with a dash (it becomes part of queue and bucket names)"),
                Arguments.of("stack: abcdefghijklmnopqrstu\n",
                        "%s:1:1: stack 'abcdefghijklmnopqrstu' is not a valid stack name: use 1 to 20 lower-case letters, digits and dashes, "
                                + "starting with a letter and not ending with a dash (it becomes part of queue and bucket names)"),
                Arguments.of("openstack:\n  ssh_cidr: 10.0.0.300/32\n", "%s:2:3: openstack.ssh_cidr '10.0.0.300/32' is not an address block like 203.0.113.7/32 (or 'auto')"),
                Arguments.of("openstack:\n  web_image: ftp://host/x\n",
                        "%s:2:3: web_image 'ftp://host/x' uses an unsupported scheme: web_image must be a file PATH, s3://BUCKET/KEY, https://URL or glance:NAME"),
                Arguments.of("openstack:\n  web_image: 'glance:'\n",
                        "%s:2:3: web_image 'glance:' names no image: web_image must be a file PATH, s3://BUCKET/KEY, https://URL or glance:NAME"),
                Arguments.of("openstack:\n  web_image: s3://only-bucket\n",
                        "%s:2:3: web_image 's3://only-bucket' needs both bucket and key: web_image must be a file PATH, s3://BUCKET/KEY, https://URL or glance:NAME"),
                Arguments.of("openstack:\n  flavor: m1.small\n  flavor: m1.large\n", "%s:3:3: key 'flavor' appears twice in the same mapping"),
                Arguments.of("openstack:\n  flavor: 'm1.small\n", "%s:3:1: not valid YAML: found unexpected end of stream"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("fileErrors")
    void fileErrorsNameFileLineAndWhatIsAllowed(String yaml, String expected) throws Exception {
        Path file = write(yaml);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StackConfigFile.load(file, Map.of(), Map.of()));
        assertEquals(expected.replace("%s", file.toString()), e.getMessage());
    }

    static Stream<Arguments> overrideErrors() {
        return Stream.of(
                Arguments.of("aws.scaling.maximum", "3", "override aws.scaling.maximum: unknown key 'maximum' in aws.scaling; known keys: min, max, warm_pool"),
                Arguments.of("region", "eu-west-1", "override region: unknown key 'region' at the top level; known keys: stack, openstack, aws, model, reply"),
                Arguments.of("aws.scaling.max", "many", "override aws.scaling.max: aws.scaling.max must be a whole number, got 'many'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overrideErrors")
    void overrideErrorsNameTheKey(String key, String value, String expected) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StackConfigFile.load(null, Map.of(), Map.of(key, value)));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void environmentErrorsNameTheVariable() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> StackConfigFile.load(null, Map.of("HYBRID_MODEL_PROFILE", "coco"), Map.of()));
        assertEquals("environment variable HYBRID_MODEL_PROFILE: model.profile must be one of cse546, imagenet, got 'coco'", e.getMessage());
    }

    @Test
    void aDirectoryGivenAsTheFileIsNamedAsADirectory() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StackConfigFile.load(dir, Map.of(), Map.of()));
        assertEquals(dir + " is a directory: -c takes a hybrid.yaml file (write one with 'hybrid init')", e.getMessage());
    }

    @Test
    void namedFileThatDoesNotExistIsAnError() {
        Path missing = dir.resolve("nope.yaml");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StackConfigFile.load(missing, Map.of(), Map.of()));
        assertEquals(missing + " does not exist: run 'hybrid init' to write one, or leave the option out to use the defaults", e.getMessage());
    }

    @Test
    void workingDirectoryFileIsUsedWhenPresent() throws Exception {
        assertEquals(StackConfig.defaults(), StackConfigFile.loadFromWorkingDirectory(dir, Map.of(), Map.of()));
        write("stack: here\n");
        assertEquals("here", StackConfigFile.loadFromWorkingDirectory(dir, Map.of(), Map.of()).stack());
    }

    @Test
    void initWritesACommentedFileThatLoadsAsTheDefaults() throws Exception {
        Path file = dir.resolve("sub/hybrid.yaml");
        StackConfigFile.writeDefault(file, false);
        String text = Files.readString(file);
        assertTrue(text.lines().filter(line -> line.trim().startsWith("#")).count() >= 15, text);
        assertEquals(StackConfig.defaults(), StackConfigFile.load(file, Map.of(), Map.of()));
    }

    @Test
    void initRefusesToOverwriteUnlessForced() throws Exception {
        Path file = write("stack: mine\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StackConfigFile.writeDefault(file, false));
        assertEquals(file + " already exists: edit it, or pass --force to replace it with the defaults", e.getMessage());
        assertEquals("stack: mine\n", Files.readString(file));
        StackConfigFile.writeDefault(file, true);
        assertEquals(StackConfig.defaults(), StackConfigFile.load(file, Map.of(), Map.of()));
    }
}
