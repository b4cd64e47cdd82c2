package org.authmill.cli;

import java.util.List;
import java.util.Optional;
import org.authmill.keys.KeyStore;
import org.authmill.server.signing.KeySource;
import org.authmill.server.signing.SigningKey;

/**
 * The keys managed under {@code --state-dir} that sign now ({@link
 * org.authmill.keys.KeyRing#signing()}: active ones, and retiring ones during an overlap), as
 * signing keys of {@code serve}, next to the {@code --sign} and {@code signing.keys} ones.
 */
final class ManagedKeys {
  private ManagedKeys() {}

  /** The managed keys that sign now, read from the store's current state. */
  static List<SigningKey> signing(KeyStore store) {
    return store.read().signing().stream()
        .map(
            k ->
                new SigningKey(
                    k.domain(),
                    k.selector(),
                    new KeySource.File(store.privateKeyPath(k)),
                    Optional.empty()))
        .toList();
  }
}
