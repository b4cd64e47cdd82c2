package org.authmill.keys;

import java.util.Locale;
import org.authmill.dkim.DkimPrivateKey;

/** The key types a managed key can have: RSA (RFC 8301) or Ed25519 (RFC 8463). */
public enum KeyAlgorithm {
  /** RSA, {@code k=rsa}, signing with rsa-sha256. */
  RSA,
  /** Ed25519, {@code k=ed25519}, signing with ed25519-sha256. */
  ED25519;

  /** The keyword: {@code rsa} or {@code ed25519}. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The algorithm for {@code rsa} or {@code ed25519}, naming the bad value otherwise. */
  public static KeyAlgorithm parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "rsa" -> RSA;
      case "ed25519" -> ED25519;
      default ->
          throw new IllegalArgumentException("algorithm " + text + ": expected rsa or ed25519");
    };
  }

  /** A new private key: RSA of {@code rsaBits} bits, or Ed25519. */
  DkimPrivateKey generate(int rsaBits) {
    return this == RSA ? DkimPrivateKey.generateRsa(rsaBits) : DkimPrivateKey.generateEd25519();
  }
}
