package io.greenpledge.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * The gateway's own RS256 signing key for local runs, generated once and kept under the data dir
 * ({@code jwt/private.pem}, owner-readable only) so tokens survive a restart.
 */
public record LocalKeys(String privatePem, String publicPem) {

  public static LocalKeys loadOrCreate(Path dataDir) {
    Path dir = dataDir.resolve("jwt");
    Path privateFile = dir.resolve("private.pem");
    Path publicFile = dir.resolve("public.pem");
    try {
      if (Files.exists(privateFile) && Files.exists(publicFile)) {
        return new LocalKeys(Files.readString(privateFile), Files.readString(publicFile));
      }
      Files.createDirectories(dir);
      LocalKeys keys = generate();
      Files.writeString(publicFile, keys.publicPem(), StandardCharsets.US_ASCII);
      Files.writeString(privateFile, keys.privatePem(), StandardCharsets.US_ASCII);
      restrict(privateFile);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the local signing key in " + dir, e);
    }
  }

  public static LocalKeys generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      return new LocalKeys(
          pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available in this JVM", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void restrict(Path file) {
    try {
      Files.setPosixFilePermissions(file, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException | IOException e) {
      // Non-POSIX file systems keep their defaults; the key is still only in the data dir.
    }
  }
}
