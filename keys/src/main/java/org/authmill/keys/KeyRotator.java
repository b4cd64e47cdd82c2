package org.authmill.keys;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dns.AuthoritativeAnswer;
import org.authmill.dns.AuthoritativeChecker;
import org.authmill.dns.DnsUpdater;
import org.authmill.dns.TsigKey;
import org.authmill.dns.UpdateOutcome;
import org.authmill.dns.ZoneNameservers;

/**
 * Runs the key lifecycle of {@link org.authmill.keys}: generate, publish (DNS UPDATE, RFC 2136,
 * signed with TSIG, RFC 8945; or by the operator), verify at every authoritative server, activate,
 * and retire after the old record's TTL plus the retention window (all times from the injected
 * {@link Clock}). Each step reads and writes the {@link KeyStore}, so a step that cannot finish now
 * is resumed by the next call, in this process or another, after a restart.
 *
 * <p>A key signs only once every authoritative server serves its exact record; until then the
 * current key keeps signing, whatever fails.
 *
 * <pre>{@code
 * KeyRotator rotator = KeyRotator.builder(KeyStore.at(Path.of("/var/lib/authmill"))).build();
 * RotationOutcome outcome = rotator.rotate(settings, KeyAlgorithm.ED25519, Optional.empty());
 * rotator.advance(); // later, and from serve: the steps whose time has come
 * }</pre>
 */
public final class KeyRotator {
  private final KeyStore store;
  private final Clock clock;
  private final Duration updateTimeout;
  private final Duration verifyWait;
  private final Duration pollInterval;
  private final AuthoritativeChecker checker;
  private final ZoneNameservers nameservers;

  private KeyRotator(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.updateTimeout = b.updateTimeout;
    this.verifyWait = b.verifyWait;
    this.pollInterval = b.pollInterval;
    this.checker = AuthoritativeChecker.builder().timeout(b.queryTimeout).retries(1).build();
    this.nameservers = ZoneNameservers.using(b.recursive, b.queryTimeout);
  }

  /** A builder with the system clock, a 5 s UPDATE timeout and a 5 min wait for propagation. */
  public static Builder builder(KeyStore store) {
    return new Builder(store);
  }

  /** The store this rotator works on. */
  public KeyStore store() {
    return store;
  }

  /**
   * Steps 1 to 4 for one domain and algorithm: saves the settings, resumes the rotation in progress
   * or generates the next key (the first one for a new domain), publishes it, waits up to the
   * verify wait for every authoritative server to serve it, and activates it; the key it replaces
   * is then retiring. Step 5 is left to {@link #advance()}.
   *
   * @param selector a selector for a new key instead of the settings' format
   */
  public RotationOutcome rotate(
      DomainSettings settings, KeyAlgorithm algorithm, Optional<String> selector) {
    selector.ifPresent(
        s -> {
          if (!SelectorFormat.isSelector(s)) {
            throw new IllegalArgumentException("invalid selector: " + s);
          }
        });
    KeyRing ring =
        store.update(
            r -> {
              KeyRing next = r.withSettings(settings);
              if (next.inProgress(settings.domain(), algorithm).isPresent()) {
                return next;
              }
              return next.with(generate(next, settings, algorithm, selector));
            });
    ManagedKey key = ring.inProgress(settings.domain(), algorithm).orElseThrow();
    return proceed(key, verifyWait);
  }

  /**
   * Runs every step whose time has come, for every managed key: publishing and verifying keys in
   * progress (one check, no waiting), retiring keys whose retirement time has passed, removing the
   * records of keys retired by an earlier pass, and starting a scheduled rotation ({@code
   * rotate-every}) when one is due.
   *
   * <p>A retiring key stops signing in one pass and loses its record in the next, so that a signer
   * that reloads its keys between passes (as {@code serve} does) never signs with a key whose
   * record is gone.
   */
  public List<RotationOutcome> advance() {
    return advance(Optional.empty());
  }

  /**
   * As {@link #advance()}, with a schedule for the domains whose settings have none (the
   * configuration's {@code rotate-every}).
   */
  public List<RotationOutcome> advance(Optional<Duration> defaultRotateEvery) {
    List<RotationOutcome> outcomes = new ArrayList<>();
    KeyRing ring = store.read();
    Instant now = clock.instant();
    for (ManagedKey key : ring.keys()) {
      DomainSettings settings = settingsOf(ring, key.domain());
      switch (key.state()) {
        case PENDING_PUBLISH, PUBLISHED -> {
          if (key.state() == KeyState.PUBLISHED || settings.updates()) {
            outcomes.add(proceed(key, Duration.ZERO));
          }
        }
        case RETIRING -> {
          if (key.retireAt().isPresent() && !now.isBefore(key.retireAt().get())) {
            outcomes.add(stopSigning(key, settings));
          }
        }
        case RETIRED -> {
          if (settings.updates()) {
            outcomes.add(removeRecord(key, settings));
          }
        }
        case ACTIVE -> {
          Optional<Instant> due =
              settings
                  .rotateEvery()
                  .or(() -> defaultRotateEvery)
                  .flatMap(every -> key.activated().map(a -> a.plus(every)));
          if (due.isPresent()
              && !now.isBefore(due.get())
              && store.read().inProgress(key.domain(), key.algorithm()).isEmpty()) {
            KeyRing generated =
                store.update(
                    r ->
                        r.inProgress(key.domain(), key.algorithm()).isPresent()
                            ? r
                            : r.with(generate(r, settings, key.algorithm(), Optional.empty())));
            outcomes.add(
                proceed(
                    generated.inProgress(key.domain(), key.algorithm()).orElseThrow(),
                    Duration.ZERO));
          }
        }
        default -> {}
      }
    }
    return outcomes;
  }

  /**
   * The operator's confirmation for a step done by hand: the record of a key awaiting confirmation
   * is published (the key is then verified, waiting up to the verify wait), or the record of a
   * retired key is removed (its private key is then disposed of).
   *
   * @param selector the key; may be empty when exactly one key of the domain waits
   */
  public RotationOutcome confirm(String domain, Optional<String> selector) {
    KeyRing ring = store.read();
    List<ManagedKey> waiting =
        ring.keys().stream()
            .filter(k -> k.domain().equalsIgnoreCase(domain))
            .filter(k -> selector.map(s -> k.selector().equals(s)).orElse(true))
            .filter(
                k ->
                    k.state() == KeyState.AWAITING_CONFIRM
                        || (k.state() == KeyState.RETIRED
                            && !settingsOf(ring, k.domain()).updates()))
            .toList();
    if (waiting.isEmpty()) {
      throw new IllegalArgumentException(
          "no key of "
              + domain
              + selector.map(s -> " with selector " + s).orElse("")
              + " waits for a confirmation (see authmill keys status)");
    }
    if (waiting.size() > 1) {
      throw new IllegalArgumentException(
          "several keys of "
              + domain
              + " wait for a confirmation ("
              + waiting.stream().map(ManagedKey::selector).collect(Collectors.joining(", "))
              + "): name one with --selector");
    }
    ManagedKey key = waiting.get(0);
    if (key.state() == KeyState.AWAITING_CONFIRM) {
      Instant now = clock.instant();
      ManagedKey published =
          transition(
              key, KeyState.AWAITING_CONFIRM, k -> k.in(KeyState.PUBLISHED).publishedAt(now));
      return proceed(published, verifyWait);
    }
    return dispose(key, settingsOf(ring, key.domain()), "the operator removed its record");
  }

  /**
   * Step 5 at once for keys that are retiring: with {@code now} false only those whose time has
   * come, with {@code now} true also earlier (the operator takes the risk for mail in transit).
   */
  public List<RotationOutcome> retire(
      Optional<String> domain, Optional<String> selector, boolean now) {
    KeyRing ring = store.read();
    Instant at = clock.instant();
    List<RotationOutcome> outcomes = new ArrayList<>();
    for (ManagedKey key : ring.keys()) {
      if (domain.isPresent() && !key.domain().equalsIgnoreCase(domain.get())) {
        continue;
      }
      if (selector.isPresent() && !key.selector().equals(selector.get())) {
        continue;
      }
      DomainSettings settings = settingsOf(ring, key.domain());
      if (key.state() == KeyState.RETIRING
          && (now || key.retireAt().map(t -> !at.isBefore(t)).orElse(false))) {
        outcomes.add(retire(key, settings));
      } else if (key.state() == KeyState.RETIRED && settings.updates()) {
        outcomes.add(removeRecord(key, settings));
      } else if (selector.isPresent() && key.state() == KeyState.ACTIVE) {
        outcomes.add(
            new RotationOutcome(
                RotationOutcome.Status.FAILED,
                Optional.of(key),
                key.recordName()
                    + " is the active key; rotate first (authmill keys rotate --domain "
                    + key.domain()
                    + "), then retire the old one"));
      }
    }
    return outcomes;
  }

  // ------------------------------------------------------------------------------------------
  // The steps

  private ManagedKey generate(
      KeyRing ring, DomainSettings settings, KeyAlgorithm algorithm, Optional<String> selector) {
    Set<String> taken =
        ring.keys().stream()
            .filter(k -> k.domain().equals(settings.domain()))
            .map(ManagedKey::selector)
            .collect(Collectors.toSet());
    Instant now = clock.instant();
    String chosen =
        selector.orElseGet(
            () -> new SelectorFormat(settings.selectorFormat()).next(algorithm, now, taken));
    if (taken.contains(chosen)) {
      throw new IllegalArgumentException(
          "selector " + chosen + " was already used for " + settings.domain() + "; pick another");
    }
    DkimPrivateKey privateKey = algorithm.generate(settings.rsaBits());
    String file = store.writePrivateKey(settings.domain(), chosen, privateKey);
    return new ManagedKey(
        settings.domain(),
        algorithm,
        chosen,
        KeyState.PENDING_PUBLISH,
        file,
        privateKey.keyRecord(),
        settings.ttl(),
        now,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** Publishes (when pending) and verifies (when published) a key in progress. */
  private RotationOutcome proceed(ManagedKey key, Duration wait) {
    DomainSettings settings = settingsOf(store.read(), key.domain());
    if (key.state() == KeyState.PENDING_PUBLISH) {
      RotationOutcome published = publish(key, settings);
      if (published.status() != RotationOutcome.Status.DONE) {
        return published;
      }
      key = published.key().orElseThrow();
    }
    if (key.state() == KeyState.AWAITING_CONFIRM) {
      return new RotationOutcome(
          RotationOutcome.Status.WAITING, Optional.of(key), key.reason().orElse(""));
    }
    if (key.state() == KeyState.PUBLISHED) {
      return verify(key, settings, wait);
    }
    return new RotationOutcome(
        RotationOutcome.Status.DONE,
        Optional.of(key),
        key.recordName() + " is " + key.state().keyword());
  }

  private RotationOutcome publish(ManagedKey key, DomainSettings settings) {
    if (!settings.updates()) {
      String why =
          "publish this record at your DNS host, then run: authmill keys confirm --domain "
              + key.domain()
              + " --selector "
              + key.selector()
              + "\n"
              + zoneLine(key.recordName(), key.ttl(), key.record());
      ManagedKey waiting =
          transition(
              key, KeyState.PENDING_PUBLISH, k -> k.in(KeyState.AWAITING_CONFIRM).because(why));
      return new RotationOutcome(RotationOutcome.Status.WAITING, Optional.of(waiting), why);
    }
    Optional<DnsUpdater> updater;
    try {
      updater = Optional.of(updater(settings));
    } catch (IllegalArgumentException | IOException e) {
      return fail(key, "cannot use the TSIG key: " + e.getMessage(), RotationOutcome.Status.FAILED);
    }
    DnsUpdater.ZoneLookup zone =
        updater.get().zoneOf(key.recordName()).toCompletableFuture().join();
    if (zone.zone().isEmpty()) {
      return fail(
          key,
          "cannot publish " + key.recordName() + ": " + zone.reason(),
          statusOf(zone.status()));
    }
    UpdateOutcome outcome =
        updater
            .get()
            .addTxt(zone.zone().get(), key.recordName(), key.ttl(), key.record())
            .toCompletableFuture()
            .join();
    if (!outcome.applied()) {
      return fail(
          key,
          "cannot publish "
              + key.recordName()
              + ": "
              + outcome.reason()
              + "; the current key keeps signing, and the step is retried by the next keys"
              + " rotate or by serve",
          statusOf(outcome.status()));
    }
    Instant now = clock.instant();
    ManagedKey published =
        transition(key, KeyState.PENDING_PUBLISH, k -> k.in(KeyState.PUBLISHED).publishedAt(now));
    return new RotationOutcome(
        RotationOutcome.Status.DONE,
        Optional.of(published),
        "published " + key.recordName() + " at " + settings.dnsServer().get());
  }

  private RotationOutcome verify(ManagedKey key, DomainSettings settings, Duration wait) {
    Instant deadline = Instant.now().plus(wait);
    List<InetSocketAddress> servers;
    String missing;
    while (true) {
      Optional<String> unavailable = Optional.empty();
      servers = List.of();
      try {
        servers = servers(settings, key.recordName());
      } catch (IllegalStateException e) {
        unavailable = Optional.of(e.getMessage());
      }
      if (unavailable.isEmpty()) {
        List<AuthoritativeAnswer> answers =
            checker.txt(key.recordName(), servers).toCompletableFuture().join();
        if (AuthoritativeChecker.allServe(answers, key.record())) {
          return activate(key, settings, servers);
        }
        missing =
            answers.stream()
                .filter(a -> !a.serves(key.record()))
                .map(a -> a.failure().isPresent() ? a.describe() : a.describe() + ", not this key")
                .collect(Collectors.joining("; "));
      } else {
        missing = unavailable.get();
      }
      if (!Instant.now().plus(pollInterval).isBefore(deadline)) {
        break;
      }
      sleep(pollInterval);
    }
    String why =
        "waiting until every authoritative server serves "
            + key.recordName()
            + " ("
            + missing
            + "); the current key keeps signing; this resumes with the next keys rotate, keys"
            + " confirm or serve (a secondary catches up by NOTIFY and IXFR; for a server that"
            + " does not answer, check it, or list the zone's real servers with --authoritative)";
    ManagedKey waiting = transition(key, KeyState.PUBLISHED, k -> k.because(why));
    return new RotationOutcome(RotationOutcome.Status.WAITING, Optional.of(waiting), why);
  }

  private RotationOutcome activate(
      ManagedKey key, DomainSettings settings, List<InetSocketAddress> servers) {
    Instant now = clock.instant();
    KeyRing ring =
        store.update(
            r -> {
              Optional<ManagedKey> current = r.key(key.domain(), key.selector());
              if (current.isEmpty() || current.get().state() != KeyState.PUBLISHED) {
                return r;
              }
              KeyRing next = r.with(current.get().in(KeyState.ACTIVE).activatedAt(now));
              for (ManagedKey old : r.keys(key.domain(), key.algorithm())) {
                if (old.state() == KeyState.ACTIVE && !old.selector().equals(key.selector())) {
                  Instant retireAt = now.plusSeconds(old.ttl()).plus(settings.retention());
                  next = next.with(old.in(KeyState.RETIRING).retiringAt(retireAt));
                }
              }
              return next;
            });
    ManagedKey active = ring.key(key.domain(), key.selector()).orElseThrow();
    List<String> retiring =
        ring.keys(key.domain(), key.algorithm()).stream()
            .filter(k -> k.state() == KeyState.RETIRING && k.retireAt().isPresent())
            .filter(k -> k.retireAt().get().isAfter(now.minusSeconds(1)))
            .map(k -> k.selector() + " retires at " + k.retireAt().get())
            .toList();
    return new RotationOutcome(
        RotationOutcome.Status.DONE,
        Optional.of(active),
        key.recordName()
            + " is served by all "
            + servers.size()
            + " authoritative servers; "
            + key.selector()
            + " signs now"
            + (retiring.isEmpty() ? "" : "; " + String.join("; ", retiring)));
  }

  /** Step 5, first half: the key stops signing; with UPDATE, its record goes in the next pass. */
  private RotationOutcome stopSigning(ManagedKey key, DomainSettings settings) {
    ManagedKey retired = transition(key, KeyState.RETIRING, k -> k.in(KeyState.RETIRED));
    if (retired.state() == KeyState.RETIRED && !settings.updates()) {
      return manualRemoval(retired, settings);
    }
    return new RotationOutcome(
        RotationOutcome.Status.DONE,
        Optional.of(retired),
        key.selector() + " no longer signs; its record at " + key.recordName() + " goes next");
  }

  /** Step 5 at once: the key stops signing and its record goes. */
  private RotationOutcome retire(ManagedKey key, DomainSettings settings) {
    ManagedKey retired = transition(key, KeyState.RETIRING, k -> k.in(KeyState.RETIRED));
    if (retired.state() != KeyState.RETIRED) {
      return new RotationOutcome(
          RotationOutcome.Status.DONE,
          Optional.of(retired),
          key.recordName() + " already moved on");
    }
    if (!settings.updates()) {
      return manualRemoval(retired, settings);
    }
    return removeRecord(retired, settings);
  }

  private RotationOutcome manualRemoval(ManagedKey key, DomainSettings settings) {
    String why =
        key.selector()
            + " no longer signs; "
            + (settings.removal() == RemovalMode.REVOKE
                ? "replace the record with " + zoneLine(key.recordName(), key.ttl(), revoked(key))
                : "delete the record at " + key.recordName())
            + " at your DNS host, then run: authmill keys confirm --domain "
            + key.domain()
            + " --selector "
            + key.selector();
    ManagedKey waiting = transition(key, KeyState.RETIRED, k -> k.because(why));
    return new RotationOutcome(RotationOutcome.Status.WAITING, Optional.of(waiting), why);
  }

  private RotationOutcome removeRecord(ManagedKey key, DomainSettings settings) {
    DnsUpdater updater;
    try {
      updater = updater(settings);
    } catch (IllegalArgumentException | IOException e) {
      return fail(key, "cannot use the TSIG key: " + e.getMessage(), RotationOutcome.Status.FAILED);
    }
    DnsUpdater.ZoneLookup zone = updater.zoneOf(key.recordName()).toCompletableFuture().join();
    if (zone.zone().isEmpty()) {
      return fail(
          key, "cannot remove " + key.recordName() + ": " + zone.reason(), statusOf(zone.status()));
    }
    UpdateOutcome outcome =
        settings.removal() == RemovalMode.REVOKE
            ? updater
                .replaceTxt(zone.zone().get(), key.recordName(), key.ttl(), revoked(key))
                .toCompletableFuture()
                .join()
            : updater
                .deleteTxt(zone.zone().get(), key.recordName(), key.record())
                .toCompletableFuture()
                .join();
    if (!outcome.applied()) {
      return fail(
          key,
          "cannot remove "
              + key.recordName()
              + " (the key no longer signs): "
              + outcome.reason()
              + "; retried by the next keys retire or by serve",
          statusOf(outcome.status()));
    }
    return dispose(
        key,
        settings,
        (settings.removal() == RemovalMode.REVOKE ? "revoked" : "deleted")
            + " its record at "
            + settings.dnsServer().get());
  }

  private RotationOutcome dispose(ManagedKey key, DomainSettings settings, String done) {
    store.disposePrivateKey(key, settings.archive());
    Instant now = clock.instant();
    ManagedKey removed =
        transition(key, KeyState.RETIRED, k -> k.in(KeyState.REMOVED).removedAt(now));
    return new RotationOutcome(
        RotationOutcome.Status.DONE,
        Optional.of(removed),
        key.recordName()
            + " retired: "
            + done
            + "; private key "
            + (settings.archive() ? "archived" : "deleted"));
  }

  // ------------------------------------------------------------------------------------------
  // Helpers

  /** Changes a key that is still in state {@code from}; returns the key as stored afterwards. */
  private ManagedKey transition(
      ManagedKey key, KeyState from, java.util.function.UnaryOperator<ManagedKey> change) {
    KeyRing ring =
        store.update(
            r -> {
              Optional<ManagedKey> current = r.key(key.domain(), key.selector());
              return current.isPresent() && current.get().state() == from
                  ? r.with(change.apply(current.get()))
                  : r;
            });
    return ring.key(key.domain(), key.selector()).orElseThrow();
  }

  private RotationOutcome fail(ManagedKey key, String why, RotationOutcome.Status status) {
    ManagedKey failed = transition(key, key.state(), k -> k.because(why));
    return new RotationOutcome(status, Optional.of(failed), why);
  }

  private static RotationOutcome.Status statusOf(UpdateOutcome.Status status) {
    return status == UpdateOutcome.Status.TIMEOUT
        ? RotationOutcome.Status.WAITING
        : RotationOutcome.Status.FAILED;
  }

  private DnsUpdater updater(DomainSettings settings) throws IOException {
    DnsUpdater.Builder builder =
        DnsUpdater.builder(HostPort.parse(settings.dnsServer().orElseThrow(), 53))
            .timeout(updateTimeout);
    if (settings.tsig().isPresent()) {
      builder.tsig(TsigKey.parse(settings.tsig().get()));
    } else if (settings.tsigFile().isPresent()) {
      builder.tsig(TsigKey.read(Path.of(settings.tsigFile().get())));
    }
    return builder.build();
  }

  private List<InetSocketAddress> servers(DomainSettings settings, String name) {
    if (!settings.authoritative().isEmpty()) {
      return settings.authoritative().stream().map(s -> HostPort.parse(s, 53)).toList();
    }
    ZoneNameservers.Found found = nameservers.of(name).toCompletableFuture().join();
    if (found.servers().isEmpty() || found.failure().isPresent()) {
      throw new IllegalStateException(
          "cannot find every authoritative server of "
              + name
              + ": "
              + found.failure().orElse("no name servers")
              + " (give them with --authoritative HOST:PORT)");
    }
    return found.servers();
  }

  private static DomainSettings settingsOf(KeyRing ring, String domain) {
    return ring.settings(domain).orElse(DomainSettings.defaults(domain));
  }

  /** The revocation of a key's record: the same key type, empty {@code p=} (RFC 6376 §3.6.1). */
  static String revoked(ManagedKey key) {
    return "v=DKIM1; k=" + key.algorithm().keyword() + "; p=";
  }

  /** The record in master file syntax, its text split into strings of at most 255 octets. */
  public static String zoneLine(String name, long ttl, String text) {
    StringBuilder out = new StringBuilder(name).append(". ").append(ttl).append(" IN TXT (");
    for (int i = 0; i < text.length(); i += 255) {
      out.append(" \"").append(text, i, Math.min(text.length(), i + 255)).append('"');
    }
    return out.append(" )").toString();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the name servers", e);
    }
  }

  /** Settings for a {@link KeyRotator}. */
  public static final class Builder {
    private final KeyStore store;
    private Clock clock = Clock.systemUTC();
    private Duration updateTimeout = Duration.ofSeconds(5);
    private Duration queryTimeout = Duration.ofSeconds(2);
    private Duration verifyWait = Duration.ofMinutes(5);
    private Duration pollInterval = Duration.ofSeconds(2);
    private List<InetSocketAddress> recursive = List.of();

    private Builder(KeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The clock of every lifecycle time (activation, retirement). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long to wait for the primary's answer to an UPDATE (default 5 s). */
    public Builder updateTimeout(Duration timeout) {
      this.updateTimeout = positive(timeout, "update timeout");
      return this;
    }

    /** How long to wait for each authoritative server's answer (default 2 s). */
    public Builder queryTimeout(Duration timeout) {
      this.queryTimeout = positive(timeout, "query timeout");
      return this;
    }

    /** How long {@code rotate} and {@code confirm} wait for every server (default 5 min). */
    public Builder verifyWait(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("verify wait must not be negative: " + wait);
      }
      this.verifyWait = wait;
      return this;
    }

    /** How often the servers are asked again while waiting (default 2 s). */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive(interval, "poll interval");
      return this;
    }

    /** The recursive resolvers that find a zone's NS set (default: the system's). */
    public Builder recursive(List<InetSocketAddress> resolvers) {
      this.recursive = List.copyOf(resolvers);
      return this;
    }

    /** The rotator. */
    public KeyRotator build() {
      return new KeyRotator(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
