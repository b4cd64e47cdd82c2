package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSigner;
import org.authmill.milter.MilterReply;
import org.authmill.milter.RawMilterPeer;
import org.authmill.milter.client.MilterClient;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded soak: the load generator's path (Postfix-like {@link MilterClient}s on many concurrent
 * connections) sends {@value #DEFAULT_MESSAGES} units of work (system property {@code
 * authmill.soak.messages}) to an in-process filter server with the real pipeline over a zone: good
 * signed mail, forged mail that DMARC rejects, outbound mail that gets signed, and one hostile
 * session in twenty (garbage, truncated packets, commands out of order, dropped connections).
 * Afterwards: every message got a final reply, every session is closed, and the heap after a
 * collection is within {@value #HEAP_GROWTH_MIB} MiB of where it was after the warm-up, the caches
 * being bounded (1,000 DNS answers, 1,000 SPF verdicts, 100 parsed keys).
 */
class FilterServerSoakTest {
  static final int DEFAULT_MESSAGES = 100_000;
  static final int CONNECTIONS = 16;
  static final int MESSAGES_PER_CONNECTION = 200;
  static final long HEAP_GROWTH_MIB = 64;

  @TempDir Path dir;

  private final LongAdder finalReplies = new LongAdder();
  private final LongAdder messagesSent = new LongAdder();
  private final LongAdder hostileSessions = new LongAdder();
  private final Map<String, LongAdder> verdicts = new ConcurrentHashMap<>();

  @Test
  void soak_mixedGoodAndHostileSessions_noLeakEveryMessageAVerdict() throws Exception {
    int total = Integer.getInteger("authmill.soak.messages", DEFAULT_MESSAGES);
    DkimPrivateKey inboundKey = DkimPrivateKey.generateEd25519();
    DkimPrivateKey outboundKey = DkimPrivateKey.generateEd25519();
    Path keyFile = dir.resolve("out.private");
    Files.writeString(keyFile, outboundKey.toPkcs8Pem());
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    Path zone =
        Files.writeString(
            dir.resolve("soak.zone"),
            "$TTL 3600\n"
                + "example.com. IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
                + "sel._domainkey.example.com. IN TXT \""
                + inboundKey.keyRecord()
                + "\"\n_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"\n"
                + "example.org. IN TXT \"v=spf1 ip4:10.0.0.0/8 -all\"\n"
                + "_dmarc.example.org. IN TXT \"v=DMARC1; p=none\"\n");
    byte[] good = signed(inboundKey);
    byte[] forged =
        "From: ceo@example.com\r\nTo: b@example.org\r\nSubject: pay now\r\n\r\nforged\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] outbound =
        "From: user@example.org\r\nTo: c@elsewhere.example\r\nSubject: out\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    try (FilterHarness filter =
        FilterHarness.start(
            "authserv-id: mx.test.local\nevent-loops: 2\ntrusted-networks: [10.0.0.0/8]\n"
                + "signing:\n  keys: [\"example.org:out:"
                + keyFile
                + "\"]\ndns:\n  zone-file: "
                + zone
                + "\nlimits:\n  packet-timeout: 2s\n  idle-timeout: 60s\n"
                + "caches:\n  dns-entries: 1000\n  spf-results: 1000\n  key-entries: 100\n")) {
      // Warm-up, then the baseline heap.
      run(filter, Math.min(2_000, total), good, forged, outbound);
      long baseline = heapAfterGc();
      finalReplies.reset();
      messagesSent.reset();
      hostileSessions.reset();
      verdicts.clear();
      long countedBefore = messageCounter(filter);
      long start = System.nanoTime();
      run(filter, total, good, forged, outbound);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      filter.awaitNoSessions();
      long after = heapAfterGc();
      System.out.printf(
          "soak: %d units (%d messages, %d hostile sessions) in %d ms; verdicts %s;"
              + " heap after GC %d MiB -> %d MiB%n",
          total,
          messagesSent.sum(),
          hostileSessions.sum(),
          took.toMillis(),
          verdicts,
          baseline >> 20,
          after >> 20);
      assertThat(messagesSent.sum() + hostileSessions.sum()).isEqualTo(total);
      assertThat(finalReplies.sum()).as("a final reply per message").isEqualTo(messagesSent.sum());
      assertThat(messageCounter(filter) - countedBefore)
          .as("messages the server logged with a final action")
          .isEqualTo(messagesSent.sum());
      assertThat(verdicts.get("accept-signed").sum()).isPositive();
      assertThat(verdicts.get("reject").sum()).isPositive();
      assertThat(verdicts.get("signed").sum()).isPositive();
      assertThat(filter.server().openSessions()).isZero();
      assertThat((after - baseline) >> 20)
          .as("heap growth after GC, MiB")
          .isLessThan(HEAP_GROWTH_MIB);
    }
  }

  /** Runs {@code units} units of work on {@link #CONNECTIONS} concurrent workers. */
  private void run(FilterHarness filter, int units, byte[] good, byte[] forged, byte[] outbound)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(CONNECTIONS);
    List<Future<?>> jobs = new ArrayList<>();
    for (int w = 0; w < CONNECTIONS; w++) {
      int kind = w % 3; // each worker one kind of mail, as a client host sends its own
      jobs.add(
          workers.submit(
              () -> {
                MilterClient client = null;
                String clientIp = "";
                int onConnection = 0;
                int unit;
                while ((unit = next.getAndIncrement()) < units) {
                  if (unit % 20 == 7) {
                    hostile(filter, unit);
                    hostileSessions.increment();
                    continue;
                  }
                  String ip = kind == 2 ? "10.1.2.3" : kind == 1 ? "203.0.113.9" : "192.0.2.1";
                  if (client == null
                      || !ip.equals(clientIp)
                      || onConnection >= MESSAGES_PER_CONNECTION) {
                    if (client != null) {
                      FilterHarness.await(client.quit());
                    }
                    client = filter.client(ip, "mail.example.net");
                    clientIp = ip;
                    onConnection = 0;
                  }
                  byte[] message = kind == 0 ? good : kind == 1 ? forged : outbound;
                  String sender =
                      kind == 2
                          ? "user@example.org"
                          : kind == 1 ? "ceo@example.com" : "a@example.com";
                  MilterResult r =
                      FilterHarness.await(
                          client.send(
                              MilterTransaction.of(
                                  sender, List.of("b@example.org"), message, "Q" + unit)));
                  onConnection++;
                  messagesSent.increment();
                  if (r.stage().equals("eom") || r.stage().equals("content")) {
                    finalReplies.increment();
                  }
                  verdicts.computeIfAbsent(verdict(kind, r), k -> new LongAdder()).increment();
                }
                if (client != null) {
                  FilterHarness.await(client.quit());
                }
                return null;
              }));
    }
    try {
      for (Future<?> job : jobs) {
        job.get(30, TimeUnit.MINUTES);
      }
    } finally {
      workers.shutdownNow();
    }
  }

  private static String verdict(int kind, MilterResult r) {
    if (r.finalReply() instanceof MilterReply.ReplyCode y && y.text().startsWith("550")) {
      return "reject";
    }
    if (!r.delivered()) {
      return "other:" + r.finalReply();
    }
    if (kind == 2) {
      return FilterHarness.added(r, "DKIM-Signature") != null ? "signed" : "unsigned";
    }
    String ar = FilterHarness.added(r, "Authentication-Results");
    return ar != null && ar.contains("dkim=pass") ? "accept-signed" : "accept:" + ar;
  }

  /** One hostile session of several kinds, each ended by the server or by us. */
  private static void hostile(FilterHarness filter, int unit) {
    int port = filter.server().milterPort();
    try (RawMilterPeer peer = RawMilterPeer.connect(port, Duration.ofSeconds(10))) {
      switch (unit / 20 % 5) {
        case 0 -> // garbage after negotiation: closed by the server
            peer.write(RawMilterPeer.negotiate(6, 0x1FF, 0))
                .write(RawMilterPeer.packet('Z', new byte[] {1, 2, 3}));
        case 1 -> // a length far beyond the bound
            peer.write(new byte[] {(byte) 0x80, 0, 0, 0, 'B'});
        case 2 -> { // a truncated packet, then the connection dropped
          peer.write(RawMilterPeer.negotiate(6, 0x1FF, 0));
          peer.write(new byte[] {0, 0, 0, 50, 'L', 'x'});
        }
        case 3 -> { // commands out of order, end-of-message without a message, then QUIT
          peer.negotiate();
          peer.write(RawMilterPeer.packet('M', RawMilterPeer.strings("<a@example.com>")));
          peer.read();
          peer.write(RawMilterPeer.packet('E', new byte[0]));
          peer.read();
          peer.write(RawMilterPeer.packet('Q', new byte[0]));
        }
        default -> { // a message abandoned half way
          peer.negotiate();
          peer.write(RawMilterPeer.connectPacket("c.example", "192.0.2.1"));
          peer.read();
          peer.write(RawMilterPeer.packet('M', RawMilterPeer.strings("<a@example.com>")));
          peer.read();
          peer.write(RawMilterPeer.packet('L', RawMilterPeer.strings("From", "a@example.com")));
        }
      }
      peer.awaitClosed(Duration.ofMillis(unit / 20 % 5 <= 1 ? 5000 : 1));
    } catch (java.io.IOException e) {
      // the server may cut a hostile peer off at any point
    }
  }

  /** Messages the server logged with a final action (not those abandoned by a hostile peer). */
  private static long messageCounter(FilterHarness filter) {
    return Math.round(
        filter.server().registry().find("authmill.milter.messages").counters().stream()
            .filter(c -> !List.of("disconnected", "aborted").contains(c.getId().getTag("action")))
            .mapToDouble(Counter::count)
            .sum());
  }

  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static byte[] signed(DkimPrivateKey key) throws java.io.IOException {
    byte[] message =
        "From: Alice <a@example.com>\r\nTo: b@example.org\r\nSubject: soak\r\n\r\nHello\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    DkimSigner signer = DkimSigner.builder().domain("example.com").selector("sel").key(key).build();
    String field =
        DkimSignStream.sign(List.of(signer), new java.io.ByteArrayInputStream(message))
            .get(0)
            .field();
    return (field + "\r\n" + new String(message, StandardCharsets.ISO_8859_1))
        .getBytes(StandardCharsets.ISO_8859_1);
  }
}
