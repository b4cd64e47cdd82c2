package org.authmill.server.signing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.authmill.server.ConfigException;

/**
 * All signing keys of a configuration: {@code DOMAIN:SELECTOR:KEYFILE} keys (every key of the From:
 * domain signs, so RSA and Ed25519 go side by side, RFC 8463 §3) and optionally an OpenDKIM
 * KeyTable with its SigningTable.
 */
public final class SigningKeys {
  private final List<SigningKey> keys;
  private final Optional<KeyTable> keyTable;
  private final Optional<SigningTable> signingTable;
  private final boolean multiple;

  private SigningKeys(
      List<SigningKey> keys,
      Optional<KeyTable> keyTable,
      Optional<SigningTable> signingTable,
      boolean multiple) {
    this.keys = List.copyOf(keys);
    this.keyTable = keyTable;
    this.signingTable = signingTable;
    this.multiple = multiple;
  }

  /** No keys: verify only. */
  public static SigningKeys none() {
    return new SigningKeys(List.of(), Optional.empty(), Optional.empty(), false);
  }

  /**
   * Loads and checks: both tables or neither, every key name of the SigningTable in the KeyTable,
   * every key file readable.
   *
   * @param keyTable a KeyTable data set or null
   * @param signingTable a SigningTable data set ({@code refile:} allowed) or null
   * @param multiple OpenDKIM's MultipleSignatures: every SigningTable match signs
   * @throws ConfigException naming what is wrong
   */
  public static SigningKeys load(
      List<SigningKey> keys, String keyTable, String signingTable, boolean multiple) {
    if ((keyTable == null) != (signingTable == null)) {
      throw new ConfigException(
          "signing.key-table and signing.signing-table go together: give both or neither");
    }
    Optional<KeyTable> kt = Optional.ofNullable(keyTable).map(KeyTable::read);
    Optional<SigningTable> st = Optional.ofNullable(signingTable).map(SigningTable::read);
    st.ifPresent(t -> t.checkAgainst(kt.get()));
    List<Path> files = new ArrayList<>();
    for (SigningKey k : keys) {
      if (k.key() instanceof KeySource.File f) {
        files.add(f.path());
      }
    }
    kt.ifPresent(t -> files.addAll(t.keyFiles()));
    for (Path p : files) {
      if (!Files.isReadable(p)) {
        throw new ConfigException("signing key file " + p + " is missing or not readable");
      }
    }
    return new SigningKeys(keys, kt, st, multiple);
  }

  /** True when no key is configured. */
  public boolean isEmpty() {
    return keys.isEmpty() && keyTable.isEmpty();
  }

  /** The key files the KeyTable names (none without a KeyTable). */
  public List<Path> keyTableFiles() {
    return keyTable.map(KeyTable::keyFiles).orElse(List.of());
  }

  /** The keys given as DOMAIN:SELECTOR:KEYFILE. */
  public List<SigningKey> keys() {
    return keys;
  }

  /**
   * The keys that sign mail whose From: address is {@code address}: every listed key of its domain,
   * then the SigningTable's choice; duplicates once.
   */
  public List<SigningKey> forSender(String address) {
    int at = address.lastIndexOf('@');
    String domain = at < 0 ? address : address.substring(at + 1);
    domain = domain.toLowerCase(Locale.ROOT);
    Set<SigningKey> result = new LinkedHashSet<>();
    for (SigningKey k : keys) {
      if (k.domain().equals(domain)) {
        result.add(k);
      }
    }
    if (signingTable.isPresent() && at > 0) {
      result.addAll(signingTable.get().keysFor(address, keyTable.get(), multiple));
    }
    return List.copyOf(result);
  }
}
