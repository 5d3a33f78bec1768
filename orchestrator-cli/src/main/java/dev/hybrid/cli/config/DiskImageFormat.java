package dev.hybrid.cli.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

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
