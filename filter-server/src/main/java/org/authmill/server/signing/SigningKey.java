package org.authmill.server.signing;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One key to sign with: the signing domain ({@code d=}), the selector ({@code s=}), where the
 * private key is, and an optional signer identity ({@code i=}, RFC 6376 §3.5) from a SigningTable.
 */
public record SigningKey(String domain, String selector, KeySource key, Optional<String> identity) {
  /** Validates and lower-cases the domain. */
  public SigningKey {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(identity, "identity");
    domain = domain.toLowerCase(Locale.ROOT);
    if (!domain.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
      throw new IllegalArgumentException("invalid signing domain: " + domain);
    }
    if (!selector.matches("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")) {
      throw new IllegalArgumentException("invalid selector: " + selector);
    }
  }

  /**
   * Parses {@code DOMAIN:SELECTOR:KEYFILE}, as {@code --sign} and the YAML's {@code signing.keys}
   * take it.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SigningKey parse(String spec) {
    String[] parts = spec.split(":", 3);
    if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
      throw new IllegalArgumentException(
          "signing key " + spec + ": expected DOMAIN:SELECTOR:KEYFILE");
    }
    return new SigningKey(
        parts[0].strip(),
        parts[1].strip(),
        new KeySource.File(Path.of(parts[2].strip())),
        Optional.empty());
  }

  /** {@code selector._domainkey.domain}, where the public key is published (RFC 6376 §3.6.2.1). */
  public String recordName() {
    return selector + "._domainkey." + domain;
  }
}
