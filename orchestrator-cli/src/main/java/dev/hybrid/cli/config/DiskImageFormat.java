package dev.hybrid.cli.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The disk image formats Glance takes, told apart by their magic bytes (as {@code qemu-img info} does), so that a
 * text file or a random file given as the web image is refused here, before any cloud is asked.
 */
public enum DiskImageFormat {
    VMDK, QCOW2, VHD, VHDX, ISO, RAW;

    /** Glance's {@code disk_format} value. */
    public String glanceName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format of {@code file}; empty when its first bytes match none. */
    public static Optional<DiskImageFormat> detect(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(0x8006);
            while (head.hasRemaining() && channel.read(head) > 0) {
                // read until the buffer is full or the file ends
            }
            byte[] bytes = new byte[head.position()];
            head.flip().get(bytes);
            if (startsWith(bytes, 0, "KDMV") || startsWith(bytes, 0, "COWD") || startsWith(bytes, 0, "# Disk DescriptorFile")) {
                return Optional.of(VMDK);
            }
            if (startsWith(bytes, 0, "QFI\u00fb")) {
                return Optional.of(QCOW2);
            }
            if (startsWith(bytes, 0, "vhdxfile")) {
                return Optional.of(VHDX);
            }
            if (startsWith(bytes, 0, "conectix")) {
                return Optional.of(VHD);
            }
            if (startsWith(bytes, 0x8001, "CD001")) {
                return Optional.of(ISO);
            }
            // A raw disk with a partition table: the MBR's boot signature (a GPT disk has its protective MBR too).
            if (bytes.length >= 512 && (bytes[510] & 0xff) == 0x55 && (bytes[511] & 0xff) == 0xaa) {
                return Optional.of(RAW);
            }
            if (channel.size() >= 512) {
                // A fixed VHD has its footer only at the end.
                ByteBuffer footer = ByteBuffer.allocate(8);
                channel.read(footer, channel.size() - 512);
                if (startsWith(footer.array(), 0, "conectix")) {
                    return Optional.of(VHD);
                }
            }
            return Optional.empty();
        }
    }

    private static final Pattern CREATE_TYPE = Pattern.compile("createtype=\"([^\"]{0,63})\"");

    /**
     * Why Glance would refuse this VMDK, checked as its upload-time safety checks (oslo.utils' format inspector,
     * Glance 2024.1 and later) check it; empty when it would take it. Only single-file sparse VMDKs pass: a
     * {@code KDMV} extent of version 1 to 3 whose embedded descriptor (at sector 1) says {@code monolithicSparse} or
     * {@code streamOptimized}, names at least one extent and no path, and holds only comment, field, extent and
     * {@code ddb} lines. Older Glance releases take more, but a file that fails here fails on a current cloud with
     * nothing better than HTTP 415.
     */
    public static Optional<String> vmdkProblem(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && channel.read(header) > 0) {
                // read the sparse extent header
            }
            byte[] magic = new byte[4];
            header.flip();
            if (header.remaining() < 44) {
                return Optional.of("it is too short for a VMDK sparse header");
            }
            header.get(magic);
            if (!startsWith(magic, 0, "KDMV")) {
                return Optional.of("it is not a single-file sparse VMDK (a descriptor-only or ESX COW VMDK keeps its data elsewhere)");
            }
            int version = header.getInt(4);
            long descriptorSector = header.getLong(28);
            long descriptorSectors = header.getLong(36);
            if (version < 1 || version > 3) {
                return Optional.of("its sparse header has version " + version + " (1 to 3 are known)");
            }
            if (descriptorSector != 1 || descriptorSectors <= 0) {
                return Optional.of("it has no embedded descriptor at sector 1");
            }
            ByteBuffer descriptor = ByteBuffer.allocate((int) Math.min(descriptorSectors * 512, (1 << 20) - 1));
            while (descriptor.hasRemaining() && channel.read(descriptor, 512 + descriptor.position()) > 0) {
                // read the descriptor region
            }
            String text = new String(descriptor.array(), 0, descriptor.position(), StandardCharsets.ISO_8859_1);
            int nul = text.indexOf('\0');
            text = (nul >= 0 ? text.substring(0, nul) : text).toLowerCase(Locale.ROOT);
            Matcher type = CREATE_TYPE.matcher(text);
            String createType = type.find() ? type.group(1) : "";
            if (!createType.equals("monolithicsparse") && !createType.equals("streamoptimized")) {
                return Optional.of("its descriptor says createType \"" + (createType.isEmpty() ? "(none)" : createType)
                        + "\", and only monolithicSparse and streamOptimized are taken");
            }
            int extents = 0;
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("ddb")) {
                    continue;
                }
                int equals = line.indexOf('=');
                if (equals > 0 && !line.substring(0, equals).contains(" ")) {
                    continue;
                }
                String access = line.split(" ", 2)[0];
                if (access.equals("rw") || access.equals("rdonly") || access.equals("noaccess")) {
                    if (line.contains("/")) {
                        return Optional.of("an extent of its descriptor names a path: " + raw.strip());
                    }
                    extents++;
                    continue;
                }
                return Optional.of("its descriptor has a line Glance does not accept: "
                        + (raw.strip().length() > 60 ? raw.strip().substring(0, 60) + "…" : raw.strip()));
            }
            return extents == 0 ? Optional.of("its descriptor names no extent") : Optional.empty();
        }
    }

    private static boolean startsWith(byte[] bytes, int offset, String magic) {
        byte[] expected = magic.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (bytes[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
