package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.authmill.arc.ArcSealOutcome;
import org.authmill.arc.ArcSealer;
import org.authmill.arc.ArcVerifier;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.Peers;
import org.authmill.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARC end to end with real Postfix (RFC 8617 §7.2): a message from {@code bank.test} ({@code
 * p=reject}, SPF only 192.0.2.1) passed through the forwarder {@code fwd.test}, which checked it
 * (DMARC pass), sealed it with authmill's sealer and re-sends it with its own envelope from
 * 127.0.0.1, so SPF and DMARC fail at the receiver. A receiver (Postfix + authmill, NSD serving the
 * keys) that trusts {@code fwd.test} delivers it with {@code arc=pass} and the override recorded;
 * one that does not rejects it with {@code 550 5.7.1}.
 */
class ArcPostfixEndToEndTest {
  private static final String AUTHSERV_ID = "mx.test.local";

  @TempDir static Path dir;
  private static NsdServer nsd;
  private static Path forwarded;
  private Vertx vertx;
  private FilterServer server;
  private PostfixServer postfix;

  @BeforeAll
  static void prepare() throws Exception {
    DkimPrivateKey key = DkimPrivateKey.generateRsa(2048);
    nsd =
        NsdServer.serving(
            String.join(
                "\n",
                "bank.test. IN TXT \"v=spf1 ip4:192.0.2.1 -all\"",
                "_dmarc.bank.test. IN TXT \"v=DMARC1; p=reject\"",
                "arc._domainkey.fwd.test. IN TXT " + quoted(key.keyRecord()),
                ""));
    String received =
        "Authentication-Results: fwd.test; spf=pass smtp.mailfrom=ceo@bank.test;\r\n"
            + "\tdmarc=pass header.from=bank.test\r\n"
            + "From: CEO <ceo@bank.test>\r\n"
            + "To: list@fwd.test\r\n"
            + "Subject: Board minutes\r\n"
            + "Date: Thu, 03 Dec 2026 09:00:00 +0000\r\n"
            + "Message-ID: <minutes@bank.test>\r\n"
            + "\r\n"
            + "The minutes are attached.\r\n";
    ArcSealer forwarder =
        ArcSealer.builder()
            .domain("fwd.test")
            .selector("arc")
            .key(key)
            .authservId("fwd.test")
            .verifier(
                ArcVerifier.builder(DnsjavaResolver.builder().nameserver(nsd.address()).build())
                    .build())
            .build();
    ArcSealOutcome sealed =
        forwarder
            .seal(new ByteArrayInputStream(received.getBytes(StandardCharsets.US_ASCII)))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    forwarded =
        Files.writeString(
            dir.resolve("forwarded.eml"),
            String.join("\r\n", sealed.set().orElseThrow().fields()) + "\r\n" + received);
  }

  @AfterAll
  static void stopDns() {
    if (nsd != null) {
      nsd.close();
    }
  }

  private void start(String arcSection) throws Exception {
    vertx = Vertx.vertx();
    FilterConfig config =
        FilterConfigYaml.parse(
            String.join(
                "\n",
                "listen: inet:127.0.0.1:0",
                "authserv-id: " + AUTHSERV_ID,
                "dns:",
                "  nameservers: [127.0.0.1:" + nsd.port() + "]",
                "  timeout: 1s",
                arcSection,
                ""),
            "test");
    server =
        FilterServer.start(vertx, config)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    postfix = PostfixServer.builder().milter("inet:127.0.0.1:" + server.milterPort()).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    if (server != null) {
      server
          .stop(Duration.ofSeconds(1))
          .toCompletionStage()
          .toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void trustedForwarder_deliveredWithArcPassAndTheOverride() throws Exception {
    start("arc:\n  trusted-sealers: [fwd.test]");
    String out = swaks(postfix.smtpPort());
    assertThat(out).doesNotContain("550 5.7.1");
    Path delivered = postfix.awaitDelivered(1, Duration.ofSeconds(30)).get(0);
    List<String> ours = ourResults(delivered);
    assertThat(ours).hasSize(1);
    assertThat(ours.get(0))
        .contains("dmarc=fail")
        .contains("overridden by ARC: trusted sealer fwd.test i=1 recorded dmarc=pass")
        .contains("policy.override=arc")
        .contains("arc=pass header.oldest-pass=1 smtp.remote-ip=127.0.0.1")
        .contains("arc.chain=fwd.test");
  }

  @Test
  void untrustedForwarder_rejectedWith550() throws Exception {
    start("arc:\n  trusted-sealers: [elsewhere.test]");
    String out = swaks(postfix.smtpPort());
    assertThat(out).contains("550 5.7.1").contains("bank.test");
    postfix.awaitQueueEmpty(Duration.ofSeconds(10));
    assertThat(postfix.delivered()).isEmpty();
  }

  private static String swaks(int port) throws Exception {
    Path swaks = Peers.command("swaks", "swaks");
    Process p =
        new ProcessBuilder(
                swaks.toString(),
                "--server",
                "127.0.0.1:" + port,
                "--helo",
                "mail.fwd.test",
                "--from",
                "bounces@fwd.test",
                "--to",
                "bob@example.org",
                "--data",
                forwarded.toString())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static List<String> ourResults(Path delivered) throws Exception {
    List<String> fields = new ArrayList<>();
    for (String line : PostfixServer.headerLines(delivered)) {
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (!fields.isEmpty()) {
          int last = fields.size() - 1;
          fields.set(last, fields.get(last) + " " + line.strip());
        }
        continue;
      }
      fields.add(line);
    }
    return fields.stream()
        .filter(f -> f.regionMatches(true, 0, "Authentication-Results:", 0, 23))
        .filter(f -> f.substring(23).strip().toLowerCase().startsWith(AUTHSERV_ID))
        .toList();
  }

  private static String quoted(String record) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < record.length(); i += 200) {
      out.append('"').append(record, i, Math.min(record.length(), i + 200)).append("\" ");
    }
    return out.toString().strip();
  }
}
