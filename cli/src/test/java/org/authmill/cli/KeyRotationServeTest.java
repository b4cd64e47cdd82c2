package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.authmill.dns.AuthoritativeChecker;
import org.authmill.keys.DomainSettings;
import org.authmill.keys.KeyAlgorithm;
import org.authmill.keys.KeyRotator;
import org.authmill.keys.KeyState;
import org.authmill.keys.KeyStore;
import org.authmill.keys.ManagedKey;
import org.authmill.keys.RotationOutcome;
import org.authmill.milter.client.MilterClient;
import org.authmill.milter.client.MilterMessage;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.server.FilterConfig;
import org.authmill.server.FilterConfigYaml;
import org.authmill.server.FilterServer;
import org.authmill.testkit.KnotServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotation while mail is signed continuously through the filter: Knot primary (TSIG-signed
 * UPDATEs) and secondary, the filter signing with the managed keys and reloading them from the
 * state, dkimpy verifying every signed message at once against each live name server.
 */
class KeyRotationServeTest {
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 300
      @ SOA ns1 hostmaster 1 3600 600 86400 300
      @ NS ns1
      ns1 A 127.0.0.1
      """;
  static final Pattern SELECTOR = Pattern.compile("(?:^|;)\\s*s=([^;\\s]+)");

  @TempDir Path stateDir;

  /** One message the filter signed and what dkimpy said of it at each server. */
  record Signed(int n, boolean afterCatchUp, String selector, String primary, String secondary) {}

  @Test
  void rotation_whileSigningContinuously_everyMessageVerifiesAndHeldBackKeyNeverSigns()
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    try (KnotServer primary = KnotServer.primary("example.com", ZONE);
        KnotServer secondary = primary.startSecondary();
        DkimpyVerifier atPrimary = new DkimpyVerifier(primary.port());
        DkimpyVerifier atSecondary = new DkimpyVerifier(secondary.port())) {
      KeyStore store = KeyStore.at(stateDir);
      DomainSettings settings =
          DomainSettings.defaults("example.com")
              .withDnsServer(Optional.of("127.0.0.1:" + primary.port()))
              .withTsig(Optional.of(primary.tsigSpec()), Optional.empty())
              .withAuthoritative(
                  List.of("127.0.0.1:" + primary.port(), "127.0.0.1:" + secondary.port()))
              .withTiming(300, Duration.ofDays(1))
              .withGeneration(1024, "%a-%Y%m%d");
      Supplier<KeyRotator> rotator =
          () ->
              KeyRotator.builder(store)
                  .clock(clock)
                  .verifyWait(Duration.ofMillis(500))
                  .pollInterval(Duration.ofMillis(100))
                  .queryTimeout(Duration.ofMillis(500))
                  .build();
      ManagedKey first =
          KeyRotator.builder(store)
              .clock(clock)
              .verifyWait(Duration.ofSeconds(20))
              .pollInterval(Duration.ofMillis(100))
              .build()
              .rotate(settings, KeyAlgorithm.RSA, Optional.empty())
              .key()
              .orElseThrow();
      assertThat(first.state()).isEqualTo(KeyState.ACTIVE);

      FilterConfig base =
          FilterConfigYaml.parse(
              "listen: inet:127.0.0.1:0\nauthserv-id: mx.example.com\n"
                  + "dns:\n  nameservers: [127.0.0.1:"
                  + primary.port()
                  + "]\n",
              "test");
      Supplier<FilterConfig> config = () -> base.withSigningKeys(ManagedKeys.signing(store));
      Vertx vertx = Vertx.vertx();
      FilterServer server = await(FilterServer.start(vertx, config.get()));
      List<Signed> signed = new CopyOnWriteArrayList<>();
      AtomicBoolean caughtUp = new AtomicBoolean();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger errors = new AtomicInteger();
      Thread mail =
          new Thread(
              () -> {
                for (int n = 0; running.get() && n < 2000; n++) {
                  try {
                    boolean after = caughtUp.get();
                    byte[] message = signOne(vertx, server.milterPort(), n);
                    signed.add(
                        new Signed(
                            n,
                            after,
                            selector(message),
                            atPrimary.verify(message),
                            atSecondary.verify(message)));
                  } catch (Exception e) {
                    errors.incrementAndGet();
                  }
                }
              },
              "mail");
      try (KeyMaintenance maintenance =
          new KeyMaintenance(
                  rotator.get(),
                  Optional.empty(),
                  ManagedKeys.signing(store),
                  () -> server.reload(config.get()))
              .start(Duration.ofMillis(100))) {
        mail.start();
        awaitTrue(() -> signed.size() >= 5, "first messages");

        // The next key, published while the secondary is held back: it must not sign.
        clock.set(Instant.parse("2026-12-04T10:00:00Z"));
        secondary.freeze();
        RotationOutcome waiting;
        int before;
        try {
          waiting = rotator.get().rotate(settings, KeyAlgorithm.RSA, Optional.empty());
          assertThat(waiting.status()).isEqualTo(RotationOutcome.Status.WAITING);
          before = signed.size();
          awaitTrue(() -> signed.size() >= before + 10, "messages while the secondary lags");
        } finally {
          secondary.thaw();
        }
        ManagedKey next = waiting.key().orElseThrow();
        secondary.awaitSerialOf(primary);
        caughtUp.set(true);

        // serve's maintenance activates it and reloads; new sessions sign with it.
        awaitTrue(
            () -> signed.stream().anyMatch(s -> s.selector().equals(next.selector())),
            "a message signed with " + next.selector());
        ManagedKey old = store.read().key("example.com", first.selector()).orElseThrow();
        assertThat(old.state()).isEqualTo(KeyState.RETIRING);
        Instant retireAt = old.retireAt().orElseThrow();
        assertThat(retireAt).isEqualTo(clock.instant().plusSeconds(300).plus(Duration.ofDays(1)));

        // Just before TTL + window the old record stays; at it, it goes.
        clock.set(retireAt.minusSeconds(1));
        int seen = signed.size();
        awaitTrue(() -> signed.size() >= seen + 5, "messages before retirement");
        assertThat(store.read().key("example.com", first.selector()).get().state())
            .isEqualTo(KeyState.RETIRING);
        assertThat(AuthoritativeChecker.allServe(served(primary, secondary, old), old.record()))
            .isTrue();
        clock.set(retireAt);
        awaitTrue(
            () ->
                store.read().key("example.com", first.selector()).get().state() == KeyState.REMOVED,
            "the old key removed");
        secondary.awaitSerialOf(primary);
        assertThat(AuthoritativeChecker.noneServe(served(primary, secondary, old), old.record()))
            .isTrue();
        int last = signed.size();
        awaitTrue(() -> signed.size() >= last + 5, "messages after retirement");
      } finally {
        running.set(false);
        mail.join(30_000);
        await(server.stop());
        vertx.close();
      }

      assertThat(errors.get()).isZero();
      assertThat(signed).hasSizeGreaterThan(25);
      assertThat(signed)
          .allSatisfy(
              s -> {
                assertThat(s.primary()).as("message %d at the primary", s.n()).isEqualTo("pass");
                assertThat(s.secondary())
                    .as("message %d at the secondary", s.n())
                    .isEqualTo("pass");
              });
      assertThat(signed.stream().filter(s -> !s.afterCatchUp()).map(Signed::selector))
          .as("no message signed with the new key before the secondary caught up")
          .containsOnly(first.selector());
      List<Signed> tail = signed.subList(signed.size() - 5, signed.size());
      assertThat(tail).extracting(Signed::selector).doesNotContain(first.selector());
    }
  }

  static List<org.authmill.dns.AuthoritativeAnswer> served(
      KnotServer primary, KnotServer secondary, ManagedKey key) {
    return AuthoritativeChecker.builder()
        .build()
        .txt(key.recordName(), List.of(primary.address(), secondary.address()))
        .toCompletableFuture()
        .join();
  }

  /**
   * Sends one message through the filter as outbound mail; the message as Postfix would keep it.
   */
  static byte[] signOne(Vertx vertx, int port, int n) throws Exception {
    byte[] original =
        ("From: alice@example.com\r\nTo: bob@example.org\r\nSubject: message "
                + n
                + "\r\nMessage-ID: <"
                + n
                + "@example.com>\r\n\r\nHello number "
                + n
                + ".\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    MilterClient client =
        await(
            MilterClient.connect(
                vertx,
                SocketAddress.inetSocketAddress(port, "127.0.0.1"),
                MilterClient.postfixConnectMacros("mx", "ORIGINATING", "c", "127.0.0.1")));
    try {
      await(client.connectEvent("c", InetAddress.getByName("127.0.0.1"), 1234));
      MilterResult result =
          await(
              client.send(
                  MilterTransaction.of(
                      "alice@example.com", List.of("bob@example.org"), original, "Q" + n)));
      MilterMessage parsed = MilterMessage.parse(original);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (MilterMessage.Field f : result.apply(parsed.headers())) {
        String value = f.value();
        String sep = value.startsWith(" ") || value.startsWith("\t") ? ":" : ": ";
        out.write(
            (f.name() + sep + value.replaceAll("(?<!\r)\n", "\r\n") + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(parsed.body());
      return out.toByteArray();
    } finally {
      await(client.quit());
    }
  }

  static String selector(byte[] message) {
    String text = new String(message, StandardCharsets.UTF_8);
    int at = text.indexOf("DKIM-Signature:");
    if (at < 0) {
      return "(unsigned)";
    }
    int end = text.indexOf("\r\n", at);
    while (end > 0
        && end + 2 < text.length()
        && (text.charAt(end + 2) == ' ' || text.charAt(end + 2) == '\t')) {
      end = text.indexOf("\r\n", end + 2);
    }
    Matcher m = SELECTOR.matcher(text.substring(at + 15, end).replaceAll("\\s+", " "));
    return m.find() ? m.group(1) : "(no s=)";
  }

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
