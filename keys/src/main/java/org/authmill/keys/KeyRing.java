package org.authmill.keys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One snapshot of the key state: the settings of each managed domain and every key with its
 * lifecycle state. Immutable; the {@code with...} methods return changed copies, which {@link
 * KeyStore} writes.
 *
 * @param domains the settings of each managed domain
 * @param keys every key, oldest first
 */
public record KeyRing(List<DomainSettings> domains, List<ManagedKey> keys) {
  /** Copies. */
  public KeyRing {
    domains = List.copyOf(domains);
    keys = List.copyOf(keys);
  }

  /** No domains, no keys. */
  public static KeyRing empty() {
    return new KeyRing(List.of(), List.of());
  }

  /** The settings of a domain, if it is managed. */
  public Optional<DomainSettings> settings(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    return domains.stream().filter(s -> s.domain().equals(d)).findFirst();
  }

  /** A copy with these settings for their domain (added or replaced). */
  public KeyRing withSettings(DomainSettings settings) {
    List<DomainSettings> next = new ArrayList<>();
    boolean replaced = false;
    for (DomainSettings s : domains) {
      if (s.domain().equals(settings.domain())) {
        next.add(settings);
        replaced = true;
      } else {
        next.add(s);
      }
    }
    if (!replaced) {
      next.add(settings);
    }
    return new KeyRing(next, keys);
  }

  /** A copy with this key (added, or replacing the key with its domain and selector). */
  public KeyRing with(ManagedKey key) {
    List<ManagedKey> next = new ArrayList<>();
    boolean replaced = false;
    for (ManagedKey k : keys) {
      if (k.is(key.domain(), key.selector())) {
        next.add(key);
        replaced = true;
      } else {
        next.add(k);
      }
    }
    if (!replaced) {
      next.add(key);
    }
    return new KeyRing(domains, next);
  }

  /** The key with this domain and selector. */
  public Optional<ManagedKey> key(String domain, String selector) {
    return keys.stream().filter(k -> k.is(domain, selector)).findFirst();
  }

  /** The keys of one domain and algorithm, oldest first. */
  public List<ManagedKey> keys(String domain, KeyAlgorithm algorithm) {
    return keys.stream()
        .filter(k -> k.domain().equalsIgnoreCase(domain) && k.algorithm() == algorithm)
        .toList();
  }

  /** The rotation in progress for a domain and algorithm: a key not yet signing. */
  public Optional<ManagedKey> inProgress(String domain, KeyAlgorithm algorithm) {
    return keys(domain, algorithm).stream().filter(k -> k.state().inProgress()).findFirst();
  }

  /**
   * The keys that sign now: every active key, and the retiring ones of a domain whose settings ask
   * for overlap. A key signs only after every authoritative server served its record.
   */
  public List<ManagedKey> signing() {
    List<ManagedKey> out = new ArrayList<>();
    for (ManagedKey k : keys) {
      boolean overlap = settings(k.domain()).map(DomainSettings::overlap).orElse(false);
      if (k.state() == KeyState.ACTIVE || (k.state() == KeyState.RETIRING && overlap)) {
        out.add(k);
      }
    }
    out.sort(Comparator.comparing(ManagedKey::domain));
    return out;
  }

  /** What comes next for a key and when. */
  public NextStep nextStep(ManagedKey key) {
    Optional<DomainSettings> settings = settings(key.domain());
    boolean updates = settings.map(DomainSettings::updates).orElse(false);
    return switch (key.state()) {
      case PENDING_PUBLISH -> NextStep.now("publish");
      case AWAITING_CONFIRM -> NextStep.now("confirm");
      case PUBLISHED -> NextStep.now("verify");
      case ACTIVE ->
          settings
              .flatMap(DomainSettings::rotateEvery)
              .filter(every -> key.activated().isPresent())
              .map(every -> NextStep.at("rotate", key.activated().get().plus(every)))
              .orElse(NextStep.none());
      case RETIRING -> key.retireAt().map(at -> NextStep.at("retire", at)).orElse(NextStep.none());
      case RETIRED -> NextStep.now(updates ? "remove-record" : "confirm-removal");
      case REMOVED -> NextStep.none();
    };
  }
}
