package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.authmill.testkit.FakeDnsServer;
import org.authmill.testkit.KnotServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DnsUpdaterTest {
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

  static KnotServer primary;
  static KnotServer secondary;

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

  DnsUpdater updater(String tsig) {
    return DnsUpdater.builder(primary.address())
        .tsig(TsigKey.parse(tsig))
        .timeout(Duration.ofSeconds(3))
        .build();
  }

  List<AuthoritativeAnswer> ask(String name) {
    return AuthoritativeChecker.builder()
        .timeout(Duration.ofMillis(500))
        .build()
        .txt(name, List.of(primary.address(), secondary.address()))
        .toCompletableFuture()
        .join();
  }

  @Test
  void addTxt_signedUpdate_appliedAndTransferredToSecondary() {
    String text = "v=DKIM1; k=rsa; p=" + "A".repeat(400);
    UpdateOutcome outcome =
        updater(primary.tsigSpec())
            .addTxt("example.com", "add1._domainkey.example.com", 300, text)
            .toCompletableFuture()
            .join();
    assertThat(outcome.status()).as(outcome.reason()).isEqualTo(UpdateOutcome.Status.APPLIED);
    secondary.awaitSerialOf(primary);
    assertThat(AuthoritativeChecker.allServe(ask("add1._domainkey.example.com"), text)).isTrue();
  }

  @Test
  void addTxt_wrongSecret_notauthNamingTheSecret() {
    String spec =
        KnotServer.TSIG_ALGORITHM
            + ":"
            + KnotServer.TSIG_NAME
            + ":"
            + Base64.getEncoder().encodeToString(new byte[32]);
    UpdateOutcome outcome =
        updater(spec)
            .addTxt("example.com", "bad._domainkey.example.com", 300, "v=DKIM1; p=")
            .toCompletableFuture()
            .join();
    assertThat(outcome.status()).isEqualTo(UpdateOutcome.Status.NOTAUTH);
    assertThat(outcome.reason()).contains("BADSIG").contains("secret");
    assertThat(ask("bad._domainkey.example.com").get(0).texts()).contains(List.of());
  }

  @Test
  void addTxt_unknownKey_notauthNamingTheKey() {
    String spec = primary.tsigSpec().replace(KnotServer.TSIG_NAME, "nobody.");
    UpdateOutcome outcome =
        updater(spec)
            .addTxt("example.com", "bad._domainkey.example.com", 300, "v=DKIM1; p=")
            .toCompletableFuture()
            .join();
    assertThat(outcome.status()).isEqualTo(UpdateOutcome.Status.NOTAUTH);
    assertThat(outcome.reason()).contains("BADKEY").contains("nobody.");
  }

  @Test
  void addTxt_frozenZone_refused() {
    primary.freeze();
    try {
      UpdateOutcome outcome =
          updater(primary.tsigSpec())
              .addTxt("example.com", "frozen._domainkey.example.com", 300, "v=DKIM1; p=")
              .toCompletableFuture()
              .join();
      assertThat(outcome.status()).isEqualTo(UpdateOutcome.Status.REFUSED);
      assertThat(outcome.reason()).contains("REFUSED").contains("policy");
    } finally {
      primary.thaw();
    }
  }

  @Test
  void addTxt_zoneNotServed_notzone() {
    UpdateOutcome outcome =
        updater(primary.tsigSpec())
            .addTxt("example.org", "s._domainkey.example.org", 300, "v=DKIM1; p=")
            .toCompletableFuture()
            .join();
    assertThat(outcome.status()).isEqualTo(UpdateOutcome.Status.NOTZONE);
    assertThat(outcome.reason()).contains("not authoritative for zone example.org");
  }

  @Test
  void addTxt_outsideThePolicy_notauthSayingSo() {
    UpdateOutcome outcome =
        updater(primary.tsigSpec())
            .addTxt("example.com", "www.example.com", 300, "not a key")
            .toCompletableFuture()
            .join();
    assertThat(outcome.status()).isEqualTo(UpdateOutcome.Status.NOTAUTH);
    assertThat(outcome.reason()).contains("policy");
  }

  @Test
  void addTxt_silentServer_timeout() throws Exception {
    try (FakeDnsServer silent = FakeDnsServer.silent()) {
      UpdateOutcome outcome =
          DnsUpdater.builder(silent.address())
              .tsig(TsigKey.parse(primary.tsigSpec()))
              .timeout(Duration.ofMillis(500))
              .build()
              .addTxt("example.com", "s._domainkey.example.com", 300, "v=DKIM1; p=")
              .toCompletableFuture()
              .join();
      assertThat(outcome.status()).isEqualTo(UpdateOutcome.Status.TIMEOUT);
      assertThat(outcome.reason()).contains("no answer");
    }
  }

  @Test
  void deleteTxt_oneText_removesOnlyThatRecord() {
    DnsUpdater updater = updater(primary.tsigSpec());
    String name = "del._domainkey.example.com";
    assertThat(
            updater.addTxt("example.com", name, 300, "one").toCompletableFuture().join().applied())
        .isTrue();
    assertThat(
            updater.addTxt("example.com", name, 300, "two").toCompletableFuture().join().applied())
        .isTrue();
    assertThat(updater.deleteTxt("example.com", name, "one").toCompletableFuture().join().applied())
        .isTrue();
    secondary.awaitSerialOf(primary);
    List<AuthoritativeAnswer> answers = ask(name);
    assertThat(AuthoritativeChecker.noneServe(answers, "one")).isTrue();
    assertThat(AuthoritativeChecker.allServe(answers, "two")).isTrue();
  }

  @Test
  void replaceTxt_existingRecords_leavesOnlyTheNewOne() {
    DnsUpdater updater = updater(primary.tsigSpec());
    String name = "rep._domainkey.example.com";
    updater.addTxt("example.com", name, 300, "old").toCompletableFuture().join();
    UpdateOutcome outcome =
        updater.replaceTxt("example.com", name, 300, "new").toCompletableFuture().join();
    assertThat(outcome.applied()).isTrue();
    assertThat(ask(name).get(0).texts()).contains(List.of("new"));
  }

  @Test
  void zoneOf_nameInServedZone_findsTheApex() {
    DnsUpdater.ZoneLookup lookup =
        updater(primary.tsigSpec()).zoneOf("x._domainkey.example.com").toCompletableFuture().join();
    assertThat(lookup.zone()).contains("example.com");
  }

  @Test
  void zoneOf_unservedName_emptyWithReason() {
    DnsUpdater.ZoneLookup lookup =
        updater(primary.tsigSpec()).zoneOf("x._domainkey.example.org").toCompletableFuture().join();
    assertThat(lookup.zone()).isEmpty();
    assertThat(lookup.status()).isEqualTo(UpdateOutcome.Status.NOTZONE);
    assertThat(lookup.reason()).contains("serves no zone holding x._domainkey.example.org");
  }

  @Test
  void txt_frozenSecondary_lacksTheNewRecordUntilThawed() {
    secondary.freeze();
    String name = "held._domainkey.example.com";
    try {
      assertThat(
              updater(primary.tsigSpec())
                  .addTxt("example.com", name, 300, "held")
                  .toCompletableFuture()
                  .join()
                  .applied())
          .isTrue();
      List<AuthoritativeAnswer> answers = ask(name);
      assertThat(answers.get(0).serves("held")).isTrue();
      assertThat(answers.get(1).lacks("held")).isTrue();
      assertThat(AuthoritativeChecker.allServe(answers, "held")).isFalse();
    } finally {
      secondary.thaw();
    }
    secondary.awaitSerialOf(primary);
    assertThat(AuthoritativeChecker.allServe(ask(name), "held")).isTrue();
  }

  @Test
  void txt_silentServer_failureNamesTheServer() throws Exception {
    try (FakeDnsServer silent = FakeDnsServer.silent()) {
      InetSocketAddress address = silent.address();
      List<AuthoritativeAnswer> answers =
          AuthoritativeChecker.builder()
              .timeout(Duration.ofMillis(300))
              .retries(0)
              .build()
              .txt("x.example.com", List.of(primary.address(), address))
              .toCompletableFuture()
              .join();
      assertThat(answers.get(0).texts()).contains(List.of());
      assertThat(answers.get(1).failure()).isPresent();
      assertThat(answers.get(1).describe()).contains(String.valueOf(address.getPort()));
      assertThat(AuthoritativeChecker.noneServe(answers, "x")).isFalse();
    }
  }

  @Test
  void txt_refusingServer_isAFailureNamingTheRcode() throws Exception {
    try (FakeDnsServer fake = FakeDnsServer.answering(org.xbill.DNS.Rcode.REFUSED)) {
      List<AuthoritativeAnswer> answers =
          AuthoritativeChecker.builder()
              .build()
              .txt("x.example.com", List.of(fake.address()))
              .toCompletableFuture()
              .join();
      assertThat(answers.get(0).failure())
          .hasValueSatisfying(f -> assertThat(f).contains("REFUSED"));
      assertThat(answers.get(0).serves("v=DKIM1; p=")).isFalse();
    }
  }
}
