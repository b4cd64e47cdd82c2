package org.authmill.server.signing;

import java.nio.file.Path;
import java.util.Objects;

/** Where a private key comes from: a file (PEM), or the key itself written in a KeyTable. */
public sealed interface KeySource {
  /** A key file (PEM, PKCS#1 or PKCS#8, RSA or Ed25519). */
  record File(Path path) implements KeySource {
    /** Validates. */
    public File {
      Objects.requireNonNull(path, "path");
    }
  }

  /** A key given inline in an OpenDKIM KeyTable (PEM text or base64 DER). */
  record Inline(String key) implements KeySource {
    /** Validates. */
    public Inline {
      Objects.requireNonNull(key, "key");
      if (key.isBlank()) {
        throw new IllegalArgumentException("empty inline key");
      }
    }

    @Override
    public String toString() {
      return "Inline[...]"; // never log key material
    }
  }
}
