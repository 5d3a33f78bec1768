package dev.hybrid.cli.config;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Sparse VMDK files for tests, laid out as {@code qemu-img create -f vmdk} lays them out: a {@code KDMV} header, the
 * embedded descriptor at sector 1, and the file grown (sparsely) to the size a test needs. No hypervisor could boot
 * one, but Glance's upload-time format checks take it.
 */
public final class TestVmdk {
    private TestVmdk() {
    }

    public static Path sparse(Path file, long size) throws IOException {
        return sparse(file, size, "monolithicSparse", "RW " + Math.max(1, size / 512) + " SPARSE \"" + file.getFileName() + "\"");
    }

    public static Path sparse(Path file, long size, String createType, String extentLine) throws IOException {
        String descriptor = "# Disk DescriptorFile\nversion=1\nCID=7e57d15c\nparentCID=ffffffff\ncreateType=\"" + createType + "\"\n\n"
                + "# Extent description\n" + extentLine + "\n\n# The Disk Data Base\n#DDB\n\nddb.virtualHWVersion = \"4\"\n"
                + "ddb.adapterType = \"ide\"\n";
        ByteBuffer header = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        header.put("KDMV".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(3)
                .putLong(Math.max(1, size / 512)) // capacity in sectors
                .putLong(128)                      // grain size in sectors
                .putLong(1)                        // descriptor offset: sector 1
                .putLong(20)                       // descriptor size in sectors
                .putInt(512)                       // grain table entries per table
                .putLong(21).putLong(26);          // redundant and primary grain directory
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(Math.max(size, 512 + 20 * 512));
            raf.seek(0);
            raf.write(header.array());
            raf.write(descriptor.getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }
}
