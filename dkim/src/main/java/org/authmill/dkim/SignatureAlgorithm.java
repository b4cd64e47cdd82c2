package org.authmill.dkim;

import java.util.Optional;

/**
 * A signing algorithm that authmill signs and verifies with: {@code rsa-sha256} (RFC 6376 §3.3.1,
 * RFC 8301) and {@code ed25519-sha256} (RFC 8463 §3). {@code rsa-sha1} is deliberately absent: RFC
 * 8301 §3.1 forbids signing with it and forbids verifiers to accept it.
 */
public enum SignatureAlgorithm {
  /** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 6376 §3.3.1). */
  RSA_SHA256("rsa-sha256", "rsa"),
  /** PureEdDSA Ed25519 over the SHA-256 of the header hash input (RFC 8463 §3). */
  ED25519_SHA256("ed25519-sha256", "ed25519");

  private final String tag;
  private final String keyType;

  SignatureAlgorithm(String tag, String keyType) {
    this.tag = tag;
    this.keyType = keyType;
  }

  /** The value of the {@code a=} tag. */
  public String tag() {
    return tag;
  }

  /** The key type ({@code k=} of the key record, RFC 6376 §3.6.1) that this algorithm needs. */
  public String keyType() {
    return keyType;
  }

  /** The algorithm an {@code a=} value names, which is case-sensitive, if authmill has it. */
  public static Optional<SignatureAlgorithm> fromTag(String tag) {
    for (SignatureAlgorithm algorithm : values()) {
      if (algorithm.tag.equals(tag)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }
}
