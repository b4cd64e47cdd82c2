package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.Peers;
import org.authmill.testkit.PostfixServer;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter as an operator runs it: real Postfix on loopback with authmill as its milter, NSD
 * serving the test domains, smtp-sink receiving what Postfix relays, and the peers (swaks,
 * smtp-source, dkimpy) as the outside world. The six scenarios of the filter-server issue.
 *
 * <p>Domains: {@code sender.test} (SPF allows 127.0.0.0/8, an RSA key {@code dk} used by dkimpy,
 * {@code p=reject}); {@code bank.test} (SPF allows only 192.0.2.1, {@code p=reject}: the spoof
 * target); {@code corp.test} (our own outbound domain, RSA and Ed25519 keys).
 */
class PostfixEndToEndTest {
  private static final String AUTHSERV_ID = "mx.test.local";

  @TempDir static Path dir;
  private static NsdServer nsd;
  private static Path dkimpy;
  private static Path python;
  private static Path senderKey;
  private Vertx vertx;
  private FilterServer server;
  private PostfixServer postfix;

  @BeforeAll
  static void startDns() throws Exception {
    python = Peers.python3Module("dkim", "python3-dkim");
    dkimpy = TestPaths.testdata("dkim/dkimpy_peer.py").toAbsolutePath();
    DkimPrivateKey sender = DkimPrivateKey.generateRsa(2048);
    DkimPrivateKey corpRsa = DkimPrivateKey.generateRsa(2048);
    DkimPrivateKey corpEd = DkimPrivateKey.generateEd25519();
    senderKey = privateFile("sender-dk.pem", sender);
    privateFile("corp-rsa.pem", corpRsa);
    privateFile("corp-ed.pem", corpEd);
    String zone =
        String.join(
            "\n",
            "sender.test. IN TXT \"v=spf1 ip4:127.0.0.0/8 -all\"",
            "_dmarc.sender.test. IN TXT \"v=DMARC1; p=reject\"",
            "dk._domainkey.sender.test. IN TXT " + quoted(sender.keyRecord()),
            "bank.test. IN TXT \"v=spf1 ip4:192.0.2.1 -all\"",
            "_dmarc.bank.test. IN TXT \"v=DMARC1; p=reject\"",
            "rsa._domainkey.corp.test. IN TXT " + quoted(corpRsa.keyRecord()),
            "ed._domainkey.corp.test. IN TXT " + quoted(corpEd.keyRecord()),
            "");
    nsd = NsdServer.serving(zone);
  }

  @AfterAll
  static void stopDns() {
    if (nsd != null) {
      nsd.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    FilterConfig config =
        FilterConfigYaml.parse(
            String.join(
                "\n",
                "listen: inet:127.0.0.1:0",
                "authserv-id: " + AUTHSERV_ID,
                "signing:",
                "  keys:",
                "    - corp.test:rsa:" + dir.resolve("corp-rsa.pem"),
                "    - corp.test:ed:" + dir.resolve("corp-ed.pem"),
                "dns:",
                "  nameservers: [127.0.0.1:" + nsd.port() + "]",
                "  timeout: 1s",
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
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** 1. Signed by dkimpy, from a domain whose SPF allows 127.0.0.1: pass, pass, pass. */
  @Test
  void inbound_dkimpySignedFromSpfAllowedDomain_passesAllThreeInOneHeader() throws Exception {
    Path signed = dkimpySigned("inbound.eml", "alice@sender.test", "Quarterly figures");
    swaks(postfix.smtpPort(), "alice@sender.test", signed);
    Path delivered = postfix.awaitDelivered(1, Duration.ofSeconds(30)).get(0);
    List<String> ours = ourResults(delivered);
    assertThat(ours).hasSize(1);
    assertThat(ours.get(0))
        .contains("spf=pass")
        .contains("smtp.mailfrom=alice@sender.test")
        .contains("dkim=pass header.d=sender.test header.s=dk")
        .contains("dmarc=pass")
        .contains("header.from=sender.test");
    assertThat(
            server
                .registry()
                .get("authmill.results")
                .tag("method", "dmarc")
                .tag("result", "pass")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(server.registry().get("authmill.dns.cache.misses").functionCounter().count())
        .isPositive();
  }

  /**
   * 2. Submitted on the ORIGINATING port: signed with RSA and Ed25519, and dkimpy verifies both.
   */
  @Test
  void outbound_originatingPort_signedWithRsaAndEd25519_dkimpyVerifiesBoth() throws Exception {
    Path message =
        Files.writeString(
            dir.resolve("outbound.eml"),
            message("bob@corp.test", "Outbound", "Signed on its way out.\r\n"));
    swaks(postfix.submissionPort(), "bob@corp.test", message);
    Path delivered = postfix.awaitDelivered(1, Duration.ofSeconds(30)).get(0);
    String text = Files.readString(delivered, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("DKIM-Signature: v=1; a=rsa-sha256").contains("a=ed25519-sha256");
    assertThat(ourResults(delivered)).as("outbound mail is signed, not verified").isEmpty();
    String verdicts =
        run(python.toString(), dkimpy.toString(), "verify-each", "" + nsd.port())
            .apply(sinkMessage(delivered));
    assertThat(verdicts.lines().toList())
        .containsExactlyInAnyOrder(
            "pass d=corp.test s=rsa a=rsa-sha256", "pass d=corp.test s=ed a=ed25519-sha256");
  }

  /** 3. A spoof of a p=reject domain is refused with 550 5.7.1 at the SMTP client. */
  @Test
  void spoof_ofRejectDomain_swaksSees550() throws Exception {
    Path message =
        Files.writeString(
            dir.resolve("spoof.eml"), message("ceo@bank.test", "Urgent wire", "Pay now.\r\n"));
    String out = swaks(postfix.smtpPort(), "ceo@bank.test", message);
    assertThat(out).contains("550 5.7.1").contains("bank.test");
    postfix.awaitQueueEmpty(Duration.ofSeconds(10));
    assertThat(postfix.delivered()).isEmpty();
  }

  /** 4. A forged Authentication-Results header with our authserv-id is gone on arrival. */
  @Test
  void forgedResults_withOurAuthservId_goneOnArrival() throws Exception {
    Path signed =
        dkimpySigned(
            "forged.eml",
            "alice@sender.test",
            "Forged",
            "Authentication-Results: MX.Test.Local ; dkim=pass header.d=bank.test\r\n"
                + "Authentication-Results:\r\n (a comment) mx.test.local; dmarc=pass\r\n");
    swaks(postfix.smtpPort(), "alice@sender.test", signed);
    Path delivered = postfix.awaitDelivered(1, Duration.ofSeconds(30)).get(0);
    List<String> ours = ourResults(delivered);
    assertThat(ours).hasSize(1);
    assertThat(ours.get(0)).doesNotContain("bank.test").contains("header.from=sender.test");
  }

  /** 5. With the DNS server stopped, mail is still accepted, with temperror in the header. */
  @Test
  void dnsDown_mailAcceptedWithTemperror() throws Exception {
    try (NsdServer doomed = NsdServer.serving("x.test. IN TXT \"x\"\n")) {
      FilterConfig config =
          server
              .config()
              .withDns(
                  new FilterConfig.Dns(
                      List.of("127.0.0.1:" + doomed.port()), null, Duration.ofSeconds(1)));
      server.reload(config);
      doomed.stop();
      Path message =
          Files.writeString(
              dir.resolve("dnsdown.eml"), message("alice@sender.test", "DNS down", "Hi.\r\n"));
      swaks(postfix.smtpPort(), "alice@sender.test", message);
      Path delivered = postfix.awaitDelivered(1, Duration.ofSeconds(60)).get(0);
      List<String> ours = ourResults(delivered);
      assertThat(ours).hasSize(1);
      assertThat(ours.get(0)).contains("spf=temperror").contains("dmarc=temperror");
    }
  }

  /** 6. Several messages over one SMTP session (smtp-source -d) are each handled. */
  @Test
  void smtpSource_severalMessagesInOneSession_eachVerified() throws Exception {
    Path smtpSource = Peers.command("smtp-source", "postfix");
    Path signed = dkimpySigned("batch.eml", "alice@sender.test", "Batch");
    int count = 4;
    run(
            smtpSource.toString(),
            "-d",
            "-m",
            "" + count,
            "-c",
            "-F",
            signed.toString(),
            "-f",
            "alice@sender.test",
            "-t",
            "bob@example.org",
            "127.0.0.1:" + postfix.smtpPort())
        .apply(new byte[0]);
    List<Path> delivered = postfix.awaitDelivered(count, Duration.ofSeconds(60));
    assertThat(delivered).hasSize(count);
    for (Path p : delivered) {
      List<String> ours = ourResults(p);
      assertThat(ours).as(p.toString()).hasSize(1);
      assertThat(ours.get(0)).contains("spf=pass").contains("dkim=pass").contains("dmarc=pass");
    }
  }

  private static String message(String from, String subject, String body) {
    return "From: "
        + from
        + "\r\n"
        + "To: bob@example.org\r\n"
        + "Subject: "
        + subject
        + "\r\n"
        + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
        + "Message-ID: <"
        + subject.hashCode()
        + "."
        + System.nanoTime()
        + "@test>\r\n"
        + "\r\n"
        + body;
  }

  /** A message signed by dkimpy with sender.test's key (selector dk), extra fields above. */
  private Path dkimpySigned(String name, String from, String subject, String... extra)
      throws Exception {
    String unsigned = message(from, subject, "Hello Bob,\r\nthe figures are attached.\r\n");
    byte[] field =
        run(
                python.toString(),
                dkimpy.toString(),
                "sign",
                "dk",
                "sender.test",
                senderKey.toString(),
                "relaxed",
                "relaxed",
                "rsa-sha256")
            .applyBytes(unsigned.getBytes(StandardCharsets.US_ASCII));
    String signed =
        String.join("", extra) + new String(field, StandardCharsets.US_ASCII) + unsigned;
    assertThat(signed).contains("DKIM-Signature:");
    return Files.writeString(dir.resolve(name), signed);
  }

  private static String swaks(int port, String from, Path message) throws Exception {
    Path swaks = Peers.command("swaks", "swaks");
    return run(
            swaks.toString(),
            "--server",
            "127.0.0.1:" + port,
            "--helo",
            "client.sender.test",
            "--from",
            from,
            "--to",
            "bob@example.org",
            "--data",
            message.toString())
        .apply(new byte[0]);
  }

  /** Our Authentication-Results fields in a delivered message (smtp-sink's file), unfolded. */
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

  /** The message as Postfix relayed it, without smtp-sink's own leading X- lines. */
  private static byte[] sinkMessage(Path delivered) throws Exception {
    String text = Files.readString(delivered, StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    while (!lines.isEmpty() && lines.get(0).startsWith("X-")) {
      lines.remove(0);
    }
    String joined = String.join("\n", lines);
    return joined.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Path privateFile(String name, DkimPrivateKey key) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, key.toPkcs8Pem());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static String quoted(String record) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < record.length(); i += 200) {
      out.append('"').append(record, i, Math.min(record.length(), i + 200)).append("\" ");
    }
    return out.toString().strip();
  }

  /** A command fed with standard input, bounded in time, its output returned. */
  private record Command(List<String> argv) {
    String apply(byte[] input) throws Exception {
      return new String(applyBytes(input), StandardCharsets.ISO_8859_1);
    }

    byte[] applyBytes(byte[] input) throws Exception {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      p.getOutputStream().write(input);
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", argv)).isTrue();
      return out;
    }
  }

  private static Command run(String... argv) {
    return new Command(List.of(argv));
  }
}
