package org.authmill.server.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.authmill.dkim.Canonicalization;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSigner;
import org.authmill.server.ConfigException;
import org.authmill.server.signing.KeyFiles;
import org.authmill.server.signing.KeySource;
import org.authmill.server.signing.SigningKey;
import org.authmill.server.signing.SigningKeys;

/**
 * The DKIM signers for outbound mail (RFC 6376 §5): every configured key of the From: domain signs,
 * RSA and Ed25519 side by side (RFC 8463 §3), with relaxed/relaxed canonicalization, a timestamp,
 * and the signer's default header list with oversigning. Key files are read once, when the
 * configuration is loaded, so that a bad key is a configuration error and not a lost message.
 */
public final class OutboundSigners {
  /** The most signers kept built (a KeyTable with {@code %} makes one per sender domain). */
  static final int MAX_CACHED_SIGNERS = 1000;

  private final SigningKeys keys;
  private final Map<KeySource, DkimPrivateKey> privateKeys = new ConcurrentHashMap<>();
  private final boolean insecurePermissions;
  private final LoadingCache<SigningKey, DkimSigner> signers;

  /**
   * Reads every key file now.
   *
   * @throws ConfigException naming a key file that is missing, unsafe or unusable
   */
  public OutboundSigners(SigningKeys keys, boolean insecurePermissions, Clock clock) {
    this.keys = keys;
    this.insecurePermissions = insecurePermissions;
    for (SigningKey key : keys.keys()) {
      privateKey(key.key());
    }
    for (var file : keys.keyTableFiles()) {
      privateKey(new KeySource.File(file));
    }
    this.signers =
        Caffeine.newBuilder()
            .maximumSize(MAX_CACHED_SIGNERS)
            .build(key -> signer(key, privateKey(key.key()), clock));
  }

  /** True when no key is configured: outbound mail passes unsigned. */
  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The signers for mail whose From: address is {@code address}; empty when none applies. */
  public List<DkimSigner> forSender(String address) {
    List<DkimSigner> result = new ArrayList<>();
    for (SigningKey key : keys.forSender(address)) {
      result.add(signers.get(key));
    }
    return result;
  }

  private DkimPrivateKey privateKey(KeySource source) {
    return privateKeys.computeIfAbsent(
        source,
        s -> {
          if (s instanceof KeySource.File file) {
            return KeyFiles.read(
                file.path(), insecurePermissions, "signing.insecure-key-permissions: true");
          }
          try {
            return DkimPrivateKey.parse(((KeySource.Inline) s).key());
          } catch (IllegalArgumentException e) {
            throw new ConfigException("unusable inline signing key: " + e.getMessage(), e);
          }
        });
  }

  private static DkimSigner signer(SigningKey key, DkimPrivateKey privateKey, Clock clock) {
    DkimSigner.Builder builder =
        DkimSigner.builder()
            .domain(key.domain())
            .selector(key.selector())
            .key(privateKey)
            .canonicalization(Canonicalization.RELAXED, Canonicalization.RELAXED)
            .timestamp(true)
            .clock(clock);
    key.identity().ifPresent(builder::identity);
    return builder.build();
  }
}
