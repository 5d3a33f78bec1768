package dev.hybrid.cli.openstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Set;

/**
 * The key pair that opens the web server: the user's public key when given, else one made here. Nova stopped
 * generating key pairs in compute microversion 2.92, so the private half is always ours to keep, 0600.
 */
public final class SshKeys {
    private SshKeys() {
    }

    /** The OpenSSH public key line of {@code privateKey}'s pair, generating the pair first if the file is missing. */
    public static String publicKeyFor(Path privateKey, String comment) {
        Path publicKey = privateKey.resolveSibling(privateKey.getFileName() + ".pub");
        try {
            if (!Files.exists(privateKey) || !Files.exists(publicKey)) {
                generate(privateKey, publicKey, comment);
            }
            return Files.readString(publicKey).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SSH key " + privateKey + ": " + e.getMessage(), e);
        }
    }

    /** A public key file the user chose: one OpenSSH line. */
    public static String readPublicKey(Path file) {
        try {
            String line = Files.readString(file).strip();
            if (!line.matches("(ssh-(rsa|ed25519)|ecdsa-sha2-nistp\\d+) [A-Za-z0-9+/=]+( .*)?")) {
                throw new IllegalArgumentException(file + " is not an OpenSSH public key (it should start with ssh-ed25519 or ssh-rsa)");
            }
            return line;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the SSH public key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void generate(Path privateKey, Path publicKey, String comment) throws IOException {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate RSA keys", e);
        }
        Files.createDirectories(privateKey.getParent());
        // PKCS#8 PEM: OpenSSH reads it through libcrypto, and the JDK writes it without a library.
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.deleteIfExists(privateKey);
        Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(Set.of(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
        Files.writeString(privateKey, pem, StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(publicKey, openSshLine((RSAPublicKey) pair.getPublic(), comment) + "\n");
    }

    static String openSshLine(RSAPublicKey key, String comment) {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        writeString(blob, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
        writeString(blob, key.getPublicExponent().toByteArray());
        writeString(blob, key.getModulus().toByteArray());
        return "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " " + comment;
    }

    /** RFC 4251 string/mpint: a 4-byte length, then the bytes (BigInteger's two's complement is already an mpint). */
    private static void writeString(ByteArrayOutputStream out, byte[] bytes) {
        int length = bytes.length;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.writeBytes(bytes);
    }
}
