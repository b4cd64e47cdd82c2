package org.authmill.keys;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One managed key and where it is in its lifecycle.
 *
 * @param domain the signing domain ({@code d=})
 * @param algorithm RSA or Ed25519
 * @param selector the selector ({@code s=}); the record is at {@code selector._domainkey.domain}
 * @param state where the key is
 * @param keyFile the private key file (PKCS#8 PEM, mode 0600), relative to the keys directory
 * @param record the TXT record text published for it (RFC 6376 §3.6.1)
 * @param ttl the TTL its record was published with, in seconds
 * @param created when it was generated
 * @param published when its record was sent (UPDATE applied, or the operator confirmed)
 * @param activated when it started signing
 * @param retireAt when it is to stop signing and its record to go (set when a newer key became
 *     active: then plus its TTL plus the retention window)
 * @param removed when its record was removed and its private key disposed of
 * @param reason why the next step waits (the last failure, with what to do), or empty
 */
public record ManagedKey(
    String domain,
    KeyAlgorithm algorithm,
    String selector,
    KeyState state,
    String keyFile,
    String record,
    long ttl,
    Instant created,
    Optional<Instant> published,
    Optional<Instant> activated,
    Optional<Instant> retireAt,
    Optional<Instant> removed,
    Optional<String> reason) {
  /** Validates. */
  public ManagedKey {
    Objects.requireNonNull(domain, "domain");
    domain = domain.toLowerCase(Locale.ROOT);
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(selector, "selector");
    if (!SelectorFormat.isSelector(selector)) {
      throw new IllegalArgumentException("invalid selector: " + selector);
    }
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(keyFile, "keyFile");
    if (Path.of(keyFile).isAbsolute() || keyFile.contains("..")) {
      throw new IllegalArgumentException("key file must be inside the keys directory: " + keyFile);
    }
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(published, "published");
    Objects.requireNonNull(activated, "activated");
    Objects.requireNonNull(retireAt, "retireAt");
    Objects.requireNonNull(removed, "removed");
    Objects.requireNonNull(reason, "reason");
  }

  /** Where the record is published: {@code selector._domainkey.domain} (RFC 6376 §3.6.2.1). */
  public String recordName() {
    return selector + "._domainkey." + domain;
  }

  /** A copy in another state, with the reason cleared. */
  public ManagedKey in(KeyState next) {
    return new ManagedKey(
        domain,
        algorithm,
        selector,
        next,
        keyFile,
        record,
        ttl,
        created,
        published,
        activated,
        retireAt,
        removed,
        Optional.empty());
  }

  /** A copy with a reason why the next step waits. */
  public ManagedKey because(String why) {
    return new ManagedKey(
        domain,
        algorithm,
        selector,
        state,
        keyFile,
        record,
        ttl,
        created,
        published,
        activated,
        retireAt,
        removed,
        Optional.of(why));
  }

  /** A copy marked published at {@code when}. */
  public ManagedKey publishedAt(Instant when) {
    return new ManagedKey(
        domain,
        algorithm,
        selector,
        state,
        keyFile,
        record,
        ttl,
        created,
        Optional.of(when),
        activated,
        retireAt,
        removed,
        reason);
  }

  /** A copy marked active since {@code when}. */
  public ManagedKey activatedAt(Instant when) {
    return new ManagedKey(
        domain,
        algorithm,
        selector,
        state,
        keyFile,
        record,
        ttl,
        created,
        published,
        Optional.of(when),
        retireAt,
        removed,
        reason);
  }

  /** A copy to be retired at {@code when}. */
  public ManagedKey retiringAt(Instant when) {
    return new ManagedKey(
        domain,
        algorithm,
        selector,
        state,
        keyFile,
        record,
        ttl,
        created,
        published,
        activated,
        Optional.of(when),
        removed,
        reason);
  }

  /** A copy marked removed at {@code when}. */
  public ManagedKey removedAt(Instant when) {
    return new ManagedKey(
        domain,
        algorithm,
        selector,
        state,
        keyFile,
        record,
        ttl,
        created,
        published,
        activated,
        retireAt,
        Optional.of(when),
        reason);
  }

  /** True when this is the key at {@code domain} with {@code selector}. */
  public boolean is(String domain, String selector) {
    return this.domain.equalsIgnoreCase(domain) && this.selector.equals(selector);
  }
}
