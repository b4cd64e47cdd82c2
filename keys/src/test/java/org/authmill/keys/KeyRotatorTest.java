package org.authmill.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.authmill.dkim.DkimKeyRecord;
import org.authmill.dns.AuthoritativeAnswer;
import org.authmill.dns.AuthoritativeChecker;
import org.authmill.dns.DnsUpdater;
import org.authmill.dns.ParseResult;
import org.authmill.dns.TsigKey;
import org.authmill.testkit.FakeDnsServer;
import org.authmill.testkit.KnotServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle against a real Knot primary (TSIG-signed UPDATEs) and its secondary. */
class KeyRotatorTest {
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 300
      @ SOA ns1 hostmaster 1 3600 600 86400 300
      @ NS ns1
      @ NS ns2
      ns1 A 127.0.0.1
      ns2 A 127.0.0.1
      """;
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  static KnotServer primary;
  static KnotServer secondary;

  @TempDir Path stateDir;
  final MutableClock clock = new MutableClock(T0);

  @BeforeAll
  static void start() {
    primary = KnotServer.primary("example.com", ZONE);
    secondary = primary.startSecondary();
  }

  @AfterAll
  static void stop() {
    if (secondary != null) {
      secondary.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  KeyRotator rotator(Duration wait) {
    return KeyRotator.builder(KeyStore.at(stateDir))
        .clock(clock)
        .verifyWait(wait)
        .pollInterval(Duration.ofMillis(100))
        .queryTimeout(Duration.ofMillis(300))
        .updateTimeout(Duration.ofSeconds(2))
        .build();
  }

  static DomainSettings settings(String prefix) {
    return DomainSettings.defaults("example.com")
        .withDnsServer(Optional.of("127.0.0.1:" + primary.port()))
        .withTsig(Optional.of(primary.tsigSpec()), Optional.empty())
        .withAuthoritative(List.of("127.0.0.1:" + primary.port(), "127.0.0.1:" + secondary.port()))
        .withTiming(300, Duration.ofDays(1))
        .withGeneration(2048, prefix + "-%a-%Y%m%d");
  }

  static List<AuthoritativeAnswer> served(String name) {
    return AuthoritativeChecker.builder()
        .timeout(Duration.ofMillis(500))
        .build()
        .txt(name, List.of(primary.address(), secondary.address()))
        .toCompletableFuture()
        .join();
  }

  @Test
  void rotate_newDomain_firstKeySignsOnceBothServersServeIt() {
    RotationOutcome outcome =
        rotator(Duration.ofSeconds(10))
            .rotate(settings("first"), KeyAlgorithm.ED25519, Optional.empty());

    assertThat(outcome.status()).as(outcome.message()).isEqualTo(RotationOutcome.Status.DONE);
    ManagedKey key = outcome.key().orElseThrow();
    assertThat(key.selector()).isEqualTo("first-ed25519-20261203");
    assertThat(key.state()).isEqualTo(KeyState.ACTIVE);
    assertThat(key.activated()).contains(T0);
    KeyStore store = KeyStore.at(stateDir);
    assertThat(store.read().signing()).containsExactly(key);
    List<AuthoritativeAnswer> answers = served(key.recordName());
    assertThat(AuthoritativeChecker.allServe(answers, key.record())).isTrue();
    DkimKeyRecord record =
        ((ParseResult.Parsed<DkimKeyRecord>)
                DkimKeyRecord.parse(answers.get(1).texts().get().get(0)))
            .parsed();
    assertThat(store.readPrivateKey(key).matches(record)).isTrue();
  }

  @Test
  void rotate_endToEnd_oldRecordRemovedOnlyAfterTtlPlusWindow() throws Exception {
    KeyRotator rotator = rotator(Duration.ofSeconds(10));
    DomainSettings settings = settings("e2e");
    ManagedKey old =
        rotator.rotate(settings, KeyAlgorithm.RSA, Optional.empty()).key().orElseThrow();
    assertThat(old.state()).isEqualTo(KeyState.ACTIVE);

    clock.advance(Duration.ofDays(1));
    RotationOutcome second = rotator.rotate(settings, KeyAlgorithm.RSA, Optional.empty());
    assertThat(second.status()).as(second.message()).isEqualTo(RotationOutcome.Status.DONE);
    ManagedKey current = second.key().orElseThrow();
    assertThat(current.selector()).isEqualTo("e2e-rsa-20261204");
    KeyRing ring = KeyStore.at(stateDir).read();
    assertThat(ring.signing()).containsExactly(current);
    ManagedKey retiring = ring.key("example.com", old.selector()).orElseThrow();
    assertThat(retiring.state()).isEqualTo(KeyState.RETIRING);
    Instant retireAt = clock.instant().plusSeconds(300).plus(Duration.ofDays(1));
    assertThat(retiring.retireAt()).contains(retireAt);
    assertThat(ring.nextStep(retiring)).isEqualTo(NextStep.at("retire", retireAt));

    clock.set(retireAt.minusSeconds(1));
    assertThat(rotator.advance()).isEmpty();
    assertThat(AuthoritativeChecker.allServe(served(old.recordName()), old.record())).isTrue();
    assertThat(Files.exists(KeyStore.at(stateDir).privateKeyPath(old))).isTrue();

    clock.set(retireAt);
    List<RotationOutcome> stopped = rotator.advance();
    assertThat(stopped)
        .singleElement()
        .extracting(RotationOutcome::status)
        .isEqualTo(RotationOutcome.Status.DONE);
    assertThat(
            KeyStore.at(stateDir).read().key("example.com", old.selector()).orElseThrow().state())
        .isEqualTo(KeyState.RETIRED);
    // stopped signing first; the record goes in the next pass, once signers have reloaded
    assertThat(AuthoritativeChecker.allServe(served(old.recordName()), old.record())).isTrue();
    List<RotationOutcome> outcomes = rotator.advance();
    assertThat(outcomes).hasSize(1);
    assertThat(outcomes.get(0).status())
        .as(outcomes.get(0).message())
        .isEqualTo(RotationOutcome.Status.DONE);
    ManagedKey removed =
        KeyStore.at(stateDir).read().key("example.com", old.selector()).orElseThrow();
    assertThat(removed.state()).isEqualTo(KeyState.REMOVED);
    assertThat(removed.removed()).contains(retireAt);
    assertThat(Files.exists(KeyStore.at(stateDir).privateKeyPath(old))).isFalse();
    secondary.awaitSerialOf(primary);
    assertThat(AuthoritativeChecker.noneServe(served(old.recordName()), old.record())).isTrue();
    assertThat(AuthoritativeChecker.allServe(served(current.recordName()), current.record()))
        .isTrue();
  }

  @Test
  void rotate_secondaryHeldBack_newKeyNotSigningUntilItCatchesUp() {
    DomainSettings settings = settings("held");
    ManagedKey old =
        rotator(Duration.ofSeconds(10))
            .rotate(settings, KeyAlgorithm.ED25519, Optional.empty())
            .key()
            .orElseThrow();
    clock.advance(Duration.ofDays(2));
    secondary.freeze();
    RotationOutcome waiting;
    try {
      waiting =
          rotator(Duration.ofMillis(800)).rotate(settings, KeyAlgorithm.ED25519, Optional.empty());
      assertThat(waiting.status()).isEqualTo(RotationOutcome.Status.WAITING);
      assertThat(waiting.message()).contains(":" + secondary.port()).contains("keeps signing");
      ManagedKey pending = waiting.key().orElseThrow();
      assertThat(pending.state()).isEqualTo(KeyState.PUBLISHED);
      assertThat(KeyStore.at(stateDir).read().signing()).containsExactly(old);
      // still held: a later pass changes nothing
      assertThat(rotator(Duration.ZERO).advance())
          .singleElement()
          .extracting(RotationOutcome::status)
          .isEqualTo(RotationOutcome.Status.WAITING);
      assertThat(KeyStore.at(stateDir).read().signing()).containsExactly(old);
    } finally {
      secondary.thaw();
    }
    secondary.awaitSerialOf(primary);
    List<RotationOutcome> resumed = rotator(Duration.ZERO).advance();
    assertThat(resumed)
        .singleElement()
        .extracting(RotationOutcome::status)
        .isEqualTo(RotationOutcome.Status.DONE);
    KeyRing ring = KeyStore.at(stateDir).read();
    assertThat(ring.signing())
        .extracting(ManagedKey::selector)
        .containsExactly(waiting.key().get().selector());
    assertThat(ring.key("example.com", old.selector()).orElseThrow().state())
        .isEqualTo(KeyState.RETIRING);
  }

  @Test
  void rotate_secondaryStopped_waitsAndResumesAfterItIsBack() {
    DomainSettings settings = settings("stopped");
    secondary.stop();
    try {
      RotationOutcome waiting =
          rotator(Duration.ofMillis(500)).rotate(settings, KeyAlgorithm.ED25519, Optional.empty());
      assertThat(waiting.status()).isEqualTo(RotationOutcome.Status.WAITING);
      assertThat(waiting.message()).contains("no answer");
      assertThat(KeyStore.at(stateDir).read().signing()).isEmpty();
    } finally {
      secondary.start();
    }
    secondary.awaitSerialOf(primary);
    RotationOutcome done =
        rotator(Duration.ofSeconds(10)).rotate(settings, KeyAlgorithm.ED25519, Optional.empty());
    assertThat(done.status()).as(done.message()).isEqualTo(RotationOutcome.Status.DONE);
    assertThat(done.key().get().selector()).isEqualTo("stopped-ed25519-20261203");
  }

  @Test
  void rotate_wrongTsigSecret_failsKeepsCurrentKeyAndResumesAfterRestart() {
    DomainSettings good = settings("tsig");
    ManagedKey old =
        rotator(Duration.ofSeconds(10))
            .rotate(good, KeyAlgorithm.ED25519, Optional.empty())
            .key()
            .orElseThrow();
    clock.advance(Duration.ofDays(1));
    DomainSettings bad =
        good.withTsig(
            Optional.of(
                KnotServer.TSIG_ALGORITHM
                    + ":"
                    + KnotServer.TSIG_NAME
                    + ":"
                    + Base64.getEncoder().encodeToString(new byte[32])),
            Optional.empty());
    RotationOutcome failed =
        rotator(Duration.ofSeconds(1)).rotate(bad, KeyAlgorithm.ED25519, Optional.empty());
    assertThat(failed.status()).isEqualTo(RotationOutcome.Status.FAILED);
    assertThat(failed.message()).contains("BADSIG").contains("keeps signing");
    ManagedKey pending = failed.key().orElseThrow();
    assertThat(pending.state()).isEqualTo(KeyState.PENDING_PUBLISH);
    KeyRing ring = KeyStore.at(stateDir).read();
    assertThat(ring.signing()).containsExactly(old);
    assertThat(ring.nextStep(pending).step()).contains("publish");

    // a new process with the right key resumes the same key
    RotationOutcome resumed =
        rotator(Duration.ofSeconds(10)).rotate(good, KeyAlgorithm.ED25519, Optional.empty());
    assertThat(resumed.status()).as(resumed.message()).isEqualTo(RotationOutcome.Status.DONE);
    assertThat(resumed.key().get().selector()).isEqualTo(pending.selector());
  }

  @Test
  void rotate_updateRefused_failsThenServeResumes() {
    DomainSettings settings = settings("refused");
    primary.freeze();
    RotationOutcome failed;
    try {
      failed =
          rotator(Duration.ofSeconds(1)).rotate(settings, KeyAlgorithm.ED25519, Optional.empty());
    } finally {
      primary.thaw();
    }
    assertThat(failed.status()).isEqualTo(RotationOutcome.Status.FAILED);
    assertThat(failed.message()).contains("REFUSED").contains("update-policy");
    assertThat(KeyStore.at(stateDir).read().signing()).isEmpty();
    List<RotationOutcome> resumed = rotator(Duration.ZERO).advance();
    assertThat(resumed).hasSize(1);
    // published now; verified at once or on a later pass once the secondary transferred it
    secondary.awaitSerialOf(primary);
    rotator(Duration.ZERO).advance();
    assertThat(KeyStore.at(stateDir).read().signing())
        .extracting(ManagedKey::selector)
        .containsExactly(failed.key().get().selector());
  }

  @Test
  void rotate_zoneNotFound_failsNamingTheServer() {
    DomainSettings settings =
        new DomainSettings(
            "example.net",
            Optional.of("127.0.0.1:" + primary.port()),
            Optional.of(primary.tsigSpec()),
            Optional.empty(),
            List.of("127.0.0.1:" + primary.port()),
            300,
            Duration.ofDays(1),
            false,
            RemovalMode.DELETE,
            false,
            2048,
            SelectorFormat.DEFAULT,
            Optional.empty());
    RotationOutcome failed =
        rotator(Duration.ofSeconds(1)).rotate(settings, KeyAlgorithm.ED25519, Optional.empty());
    assertThat(failed.status()).isEqualTo(RotationOutcome.Status.FAILED);
    assertThat(failed.message())
        .contains("serves no zone holding ed25519-20261203._domainkey.example.net")
        .contains("--dns-server");
    assertThat(KeyStore.at(stateDir).read().signing()).isEmpty();
  }

  @Test
  void rotate_nameserverNeverAnswers_waitsThenResumesWithTheRightList() throws Exception {
    DomainSettings settings = settings("silent");
    try (FakeDnsServer silent = FakeDnsServer.silent()) {
      InetSocketAddress address = silent.address();
      DomainSettings withSilent =
          settings.withAuthoritative(
              List.of("127.0.0.1:" + primary.port(), "127.0.0.1:" + address.getPort()));
      RotationOutcome waiting =
          rotator(Duration.ofMillis(500))
              .rotate(withSilent, KeyAlgorithm.ED25519, Optional.empty());
      assertThat(waiting.status()).isEqualTo(RotationOutcome.Status.WAITING);
      assertThat(waiting.message()).contains(":" + address.getPort() + ": no answer");
      assertThat(KeyStore.at(stateDir).read().signing()).isEmpty();
    }
    RotationOutcome done =
        rotator(Duration.ofSeconds(10)).rotate(settings, KeyAlgorithm.ED25519, Optional.empty());
    assertThat(done.status()).as(done.message()).isEqualTo(RotationOutcome.Status.DONE);
  }

  @Test
  void rotate_withoutUpdateServer_printsRecordAndWaitsForConfirm() throws Exception {
    DomainSettings settings =
        settings("manual")
            .withDnsServer(Optional.empty())
            .withTsig(Optional.empty(), Optional.empty());
    RotationOutcome waiting =
        rotator(Duration.ofSeconds(1)).rotate(settings, KeyAlgorithm.ED25519, Optional.empty());
    assertThat(waiting.status()).isEqualTo(RotationOutcome.Status.WAITING);
    ManagedKey key = waiting.key().orElseThrow();
    assertThat(key.state()).isEqualTo(KeyState.AWAITING_CONFIRM);
    assertThat(waiting.message())
        .contains("authmill keys confirm --domain example.com --selector " + key.selector())
        .contains(key.recordName() + ". 300 IN TXT");

    // the operator publishes it at the DNS host
    DnsUpdater operator =
        DnsUpdater.builder(primary.address()).tsig(TsigKey.parse(primary.tsigSpec())).build();
    assertThat(
            operator
                .addTxt("example.com", key.recordName(), 300, key.record())
                .toCompletableFuture()
                .join()
                .applied())
        .isTrue();
    secondary.awaitSerialOf(primary);
    RotationOutcome confirmed =
        rotator(Duration.ofSeconds(10)).confirm("example.com", Optional.empty());
    assertThat(confirmed.status()).as(confirmed.message()).isEqualTo(RotationOutcome.Status.DONE);
    assertThat(KeyStore.at(stateDir).read().signing())
        .extracting(ManagedKey::selector)
        .containsExactly(key.selector());

    // a second key, then retirement by hand
    clock.advance(Duration.ofDays(1));
    ManagedKey next =
        rotator(Duration.ZERO)
            .rotate(settings, KeyAlgorithm.ED25519, Optional.empty())
            .key()
            .orElseThrow();
    operator
        .addTxt("example.com", next.recordName(), 300, next.record())
        .toCompletableFuture()
        .join();
    secondary.awaitSerialOf(primary);
    assertThat(
            rotator(Duration.ofSeconds(10))
                .confirm("example.com", Optional.of(next.selector()))
                .status())
        .isEqualTo(RotationOutcome.Status.DONE);
    clock.advance(Duration.ofDays(2));
    List<RotationOutcome> retired = rotator(Duration.ZERO).advance();
    assertThat(retired)
        .singleElement()
        .extracting(RotationOutcome::status)
        .isEqualTo(RotationOutcome.Status.WAITING);
    assertThat(retired.get(0).message()).contains("delete the record at " + key.recordName());
    ManagedKey old = KeyStore.at(stateDir).read().key("example.com", key.selector()).orElseThrow();
    assertThat(old.state()).isEqualTo(KeyState.RETIRED);
    assertThat(KeyStore.at(stateDir).read().nextStep(old).step()).contains("confirm-removal");
    RotationOutcome removed =
        rotator(Duration.ZERO).confirm("example.com", Optional.of(key.selector()));
    assertThat(removed.key().get().state()).isEqualTo(KeyState.REMOVED);
    assertThat(Files.exists(KeyStore.at(stateDir).privateKeyPath(key))).isFalse();
  }

  @Test
  void advance_revokeAndArchive_publishesEmptyKeyAndKeepsThePrivateKey() {
    DomainSettings settings = settings("revoke").withRetirement(true, RemovalMode.REVOKE, true);
    KeyRotator rotator = rotator(Duration.ofSeconds(10));
    ManagedKey old =
        rotator.rotate(settings, KeyAlgorithm.ED25519, Optional.empty()).key().orElseThrow();
    clock.advance(Duration.ofDays(1));
    ManagedKey current =
        rotator.rotate(settings, KeyAlgorithm.ED25519, Optional.empty()).key().orElseThrow();
    // overlap: both sign until the old one retires
    assertThat(KeyStore.at(stateDir).read().signing())
        .extracting(ManagedKey::selector)
        .containsExactlyInAnyOrder(old.selector(), current.selector());

    clock.advance(Duration.ofDays(1).plusSeconds(300));
    assertThat(rotator.advance())
        .singleElement()
        .extracting(RotationOutcome::status)
        .isEqualTo(RotationOutcome.Status.DONE);
    assertThat(KeyStore.at(stateDir).read().signing())
        .extracting(ManagedKey::selector)
        .containsExactly(current.selector());
    assertThat(rotator.advance())
        .singleElement()
        .extracting(RotationOutcome::status)
        .isEqualTo(RotationOutcome.Status.DONE);
    secondary.awaitSerialOf(primary);
    assertThat(AuthoritativeChecker.allServe(served(old.recordName()), "v=DKIM1; k=ed25519; p="))
        .isTrue();
    assertThat(Files.exists(stateDir.resolve("keys/archive").resolve(old.keyFile()))).isTrue();
    assertThat(Files.exists(KeyStore.at(stateDir).privateKeyPath(old))).isFalse();
  }

  @Test
  void advance_rotateEveryDue_startsTheNextRotation() {
    DomainSettings settings = settings("sched").withRotateEvery(Optional.of(Duration.ofDays(180)));
    KeyRotator rotator = rotator(Duration.ofSeconds(10));
    ManagedKey first =
        rotator.rotate(settings, KeyAlgorithm.ED25519, Optional.empty()).key().orElseThrow();
    assertThat(KeyStore.at(stateDir).read().nextStep(first))
        .isEqualTo(NextStep.at("rotate", T0.plus(Duration.ofDays(180))));
    clock.advance(Duration.ofDays(179));
    assertThat(rotator.advance()).isEmpty();
    clock.advance(Duration.ofDays(1));
    List<RotationOutcome> outcomes = rotator.advance();
    assertThat(outcomes).hasSize(1);
    ManagedKey next = outcomes.get(0).key().orElseThrow();
    assertThat(next.selector()).isEqualTo("sched-ed25519-20270601");
    assertThat(next.state()).isIn(KeyState.PUBLISHED, KeyState.ACTIVE);
  }

  @Test
  void retire_activeKey_refusesAndSaysToRotateFirst() {
    ManagedKey key =
        rotator(Duration.ofSeconds(10))
            .rotate(settings("keep"), KeyAlgorithm.ED25519, Optional.empty())
            .key()
            .orElseThrow();
    List<RotationOutcome> outcomes =
        rotator(Duration.ZERO)
            .retire(Optional.of("example.com"), Optional.of(key.selector()), true);
    assertThat(outcomes)
        .singleElement()
        .extracting(RotationOutcome::status)
        .isEqualTo(RotationOutcome.Status.FAILED);
    assertThat(outcomes.get(0).message()).contains("rotate first");
    assertThat(KeyStore.at(stateDir).read().signing()).containsExactly(key);
  }
}
