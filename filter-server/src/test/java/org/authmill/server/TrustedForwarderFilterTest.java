package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.authmill.milter.MilterReply;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.report.ReportReader;
import org.authmill.report.StoredRow;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trusted forwarders through the filter server (RFC 9989 §5.8 local policy, RFC 9990 §3.1.6 {@code
 * trusted_forwarder}): mail from {@code bank.test} ({@code p=reject}) that fails DMARC is delivered
 * when it comes from a trusted network or from a forwarder whose name SPF authenticated, with the
 * override in Authentication-Results and a {@code trusted_forwarder} reason in the report rows;
 * from anywhere else it is refused {@code 550 5.7.1}, and a forwarder that only claims the name
 * (SPF fail) gains nothing.
 */
class TrustedForwarderFilterTest {
  private static final String ZONE =
      String.join(
          "\n",
          "bank.test. 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"",
          "_dmarc.bank.test. 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:d@bank.test\"",
          "fwd.test. 300 IN TXT \"v=spf1 ip4:198.51.100.5 -all\"",
          "news.test. 300 IN TXT \"v=spf1 -all\"",
          "_dmarc.news.test. 300 IN TXT \"v=DMARC1; p=none\"",
          "");

  @TempDir Path dir;

  private static byte[] message(int n) {
    return message("ceo@bank.test", n);
  }

  private static byte[] message(String from, int n) {
    return ("From: <"
            + from
            + ">\r\nTo: <bob@receiver.test>\r\nSubject: m"
            + n
            + "\r\nMessage-ID: <"
            + n
            + "@bank.test>\r\n\r\nHello.\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static MilterResult send(FilterHarness f, String ip, String sender, int n)
      throws Exception {
    MilterResult r =
        f.send(
            ip,
            "mx.sender.test",
            MilterTransaction.of(sender, List.of("bob@receiver.test"), message(n), "Q" + n));
    FilterHarness.assertSafe(r);
    return r;
  }

  @Test
  void dmarcFailFromTrustedForwarder_deliveredWithTheOverrideAndReported() throws Exception {
    Path zone = Files.writeString(dir.resolve("zone"), ZONE);
    Path state = dir.resolve("state");
    FilterHarness f =
        FilterHarness.start(
            String.join(
                "\n",
                "authserv-id: mx.receiver.test",
                "dns:",
                "  zone-file: " + zone,
                "actions:",
                "  trusted-forwarders: [203.0.113.0/24, fwd.test]",
                "report:",
                "  org: Receiver Org",
                "  state-dir: " + state,
                "  flush-interval: 200ms",
                "  send: false",
                ""));
    try {
      MilterResult byNetwork = send(f, "203.0.113.9", "ceo@bank.test", 1);
      assertThat(byNetwork.delivered()).isTrue();
      assertThat(FilterHarness.added(byNetwork, "Authentication-Results").replace("\n\t", " "))
          .contains("dmarc=fail")
          .contains("overridden: trusted forwarder 203.0.113.0/24 client 203.0.113.9")
          .contains("policy.override=trusted_forwarder");

      MilterResult byName = send(f, "198.51.100.5", "bounces@fwd.test", 2);
      assertThat(byName.delivered()).isTrue();
      assertThat(FilterHarness.added(byName, "Authentication-Results").replace("\n\t", " "))
          .contains("overridden: trusted forwarder fwd.test spf=pass")
          .contains("policy.override=trusted_forwarder");

      // claims fwd.test, but SPF fails for it: not authenticated, so not trusted
      MilterResult claimed = send(f, "192.0.2.77", "bounces@fwd.test", 3);
      assertThat(claimed.delivered()).isFalse();
      assertThat(claimed.finalReply())
          .isInstanceOfSatisfying(
              MilterReply.ReplyCode.class, c -> assertThat(c.text()).startsWith("550 5.7.1"));

      // p=none: nothing to override, so nothing is said
      MilterResult monitored =
          f.send(
              "203.0.113.9",
              "mx.sender.test",
              MilterTransaction.of(
                  "x@news.test", List.of("bob@receiver.test"), message("a@news.test", 4), "Q4"));
      assertThat(monitored.delivered()).isTrue();
      assertThat(FilterHarness.added(monitored, "Authentication-Results"))
          .contains("dmarc=fail")
          .doesNotContain("trusted forwarder")
          .doesNotContain("policy.override");
    } finally {
      f.close();
    }
    long now = Instant.now().getEpochSecond();
    try (Store store = Store.builder(StoreLocation.embedded(state)).build()) {
      List<StoredRow> rows =
          new ReportReader(store)
              .rows(java.util.Optional.of("bank.test"), now - 86400, now + 86400);
      Map<String, StoredRow> bySource =
          rows.stream().collect(Collectors.toMap(r -> r.row().sourceIp(), r -> r));
      assertThat(bySource).containsOnlyKeys("203.0.113.9", "198.51.100.5", "192.0.2.77");
      StoredRow network = bySource.get("203.0.113.9");
      assertThat(network.row().evaluated().disposition()).isEqualTo("none");
      assertThat(network.row().evaluated().reasons())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.type()).isEqualTo("trusted_forwarder");
                assertThat(r.comment()).contains("203.0.113.0/24 client 203.0.113.9");
              });
      assertThat(bySource.get("198.51.100.5").row().evaluated().reasons())
          .singleElement()
          .satisfies(r -> assertThat(r.comment()).contains("fwd.test spf=pass"));
      StoredRow refused = bySource.get("192.0.2.77");
      assertThat(refused.row().evaluated().disposition()).isEqualTo("reject");
      assertThat(refused.row().evaluated().reasons()).isEmpty();
    }
  }
}
