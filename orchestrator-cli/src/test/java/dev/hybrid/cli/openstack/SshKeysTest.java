package dev.hybrid.cli.openstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeysTest {
    @TempDir
    Path dir;

    /** ssh-keygen derives the public key from our private key file: both halves are in formats OpenSSH reads. */
    @Test
    void aGeneratedPairIsReadableByOpenSshAndThePrivateHalfIs0600() throws Exception {
        Path privateKey = dir.resolve("keys/id_rsa");
        String publicLine = SshKeys.publicKeyFor(privateKey, "hybrid@test");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)));
        Process derive = new ProcessBuilder("ssh-keygen", "-y", "-f", privateKey.toString()).redirectErrorStream(true).start();
        String derived = new String(derive.getInputStream().readAllBytes()).strip();
        assertEquals(0, derive.waitFor(), derived);
        assertEquals(publicLine.substring(0, publicLine.lastIndexOf(' ')), derived);

        assertEquals(publicLine, SshKeys.publicKeyFor(privateKey, "hybrid@test"), "an existing pair must be reused, not replaced");
    }

    @Test
    void aChosenPublicKeyMustBeAnOpenSshLine() throws Exception {
        Path good = Files.writeString(dir.resolve("good.pub"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHQ alice@laptop\n");
        assertTrue(SshKeys.readPublicKey(good).startsWith("ssh-ed25519 "));

        Path bad = Files.writeString(dir.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SshKeys.readPublicKey(bad));
        assertTrue(e.getMessage().contains("is not an OpenSSH public key"), e.getMessage());
    }
}
