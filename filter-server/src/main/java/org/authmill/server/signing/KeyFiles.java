package org.authmill.server.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.server.ConfigException;

/**
 * Reads DKIM private key files, refusing (as OpenDKIM's RequireSafeKeys does) a file that group or
 * others may read or write, unless the user accepts the risk.
 */
public final class KeyFiles {
  private static final Set<PosixFilePermission> UNSAFE =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private KeyFiles() {}

  /**
   * Reads a PEM key file (PKCS#1, PKCS#8, Ed25519) or a base64 Ed25519 seed.
   *
   * @param insecurePermissions accept a file that group or others may read or write
   * @throws ConfigException naming the file and what is wrong with it
   */
  public static DkimPrivateKey read(Path file, boolean insecurePermissions) {
    return read(file, insecurePermissions, "--insecure-key-permissions");
  }

  /**
   * As {@link #read(Path, boolean)}; {@code override} names the setting that accepts the risk in
   * the caller's terms (a flag, or {@code signing.insecure-key-permissions} in a configuration).
   *
   * @throws ConfigException naming the file and what is wrong with it
   */
  public static DkimPrivateKey read(Path file, boolean insecurePermissions, String override) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("key file " + file + " does not exist or is not a regular file");
    }
    if (!insecurePermissions) {
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(UNSAFE::contains)) {
          throw new ConfigException(
              "key file "
                  + file
                  + " can be read or written by group or others ("
                  + PosixFilePermissions.toString(permissions)
                  + "); run 'chmod 600 "
                  + file
                  + "' (or accept the risk with "
                  + override
                  + ")");
        }
      } catch (UnsupportedOperationException notPosix) {
        // a file system without POSIX permissions: nothing to check
      } catch (IOException e) {
        throw new ConfigException("cannot read key file " + file + ": " + e.getMessage(), e);
      }
    }
    try {
      return DkimPrivateKey.read(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read key file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("unusable key: " + e.getMessage(), e);
    }
  }
}
