package org.authmill.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.authmill.auth.AuthOutcome;
import org.authmill.auth.AuthStream;
import org.authmill.auth.Authenticator;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSigner;
import org.authmill.dmarc.DmarcMode;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.dmarc.DmarcResult;
import org.authmill.dns.CachingResolver;
import org.authmill.dns.ZoneResolver;
import org.authmill.report.ReportRecorder;
import org.authmill.report.ReportService;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What DMARC aggregate recording costs per inbound message: the whole check the milter runs ({@link
 * AuthStream}: SPF, DKIM verification of an Ed25519-signed 4 KiB {@link BenchMessages} message,
 * DMARC, Authentication-Results) with and without {@link ReportService#record} (the adapter to a
 * report row and the in-memory count). The recorder flushes to an embedded store every second on
 * its own thread; with one distinct row that costs one small transaction per second, not per
 * message. DNS answers come from a warm cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReportBenchmark {
  private Authenticator authenticator;
  private MilterFeed feed;
  private InetAddress client;
  private Path dir;
  private ReportService service;
  private AuthOutcome outcome;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    DkimPrivateKey key = DkimPrivateKey.generateEd25519();
    String zone =
        "_dmarc.example.com. 3600 IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n"
            + "example.com. 3600 IN TXT \"v=spf1 ip4:192.0.2.25 -all\"\n"
            + "bench._domainkey.example.com. 3600 IN TXT "
            + BenchZones.txt(key.keyRecord())
            + "\n";
    authenticator =
        Authenticator.builder(CachingResolver.builder(ZoneResolver.fromText(zone)).build())
            .authservId("mx.example.org")
            .build();
    byte[] message = BenchMessages.message(4096);
    DkimSigner signer =
        DkimSigner.builder().domain("example.com").selector("bench").key(key).build();
    String sig =
        DkimSignStream.sign(List.of(signer), new ByteArrayInputStream(message)).get(0).field()
            + "\r\n";
    byte[] signed = new byte[sig.length() + message.length];
    System.arraycopy(sig.getBytes(StandardCharsets.US_ASCII), 0, signed, 0, sig.length());
    System.arraycopy(message, 0, signed, sig.length(), message.length);
    feed = MilterFeed.of(signed);
    client = InetAddress.getByName("192.0.2.25");
    dir = Files.createTempDirectory("authmill-bench-report");
    Store store = Store.builder(StoreLocation.embedded(dir)).build();
    ReportRecorder recorder =
        ReportRecorder.builder(store).flushInterval(Duration.ofSeconds(1)).build();
    service =
        new ReportService(
            store,
            recorder,
            Optional.empty(),
            Duration.ofMinutes(5),
            DmarcMode.RFC9989,
            Clock.systemUTC());
    outcome = check();
    if (outcome.dmarc().result() != DmarcResult.PASS) {
      throw new IllegalStateException("expected DMARC pass, got " + outcome.dmarc());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    service.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (UncheckedIOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /** The milter's inbound check alone. */
  @Benchmark
  public AuthOutcome check() {
    AuthStream s = authenticator.begin(client, "mail-out.example.com", "alice@example.com");
    for (byte[] field : feed.fields()) {
      s.header(field, 0, field.length);
    }
    s.endOfHeaders();
    s.body(ByteBuffer.wrap(feed.body()));
    return s.finish().toCompletableFuture().join();
  }

  /** Recording alone: one outcome turned into a report row and counted. */
  @Benchmark
  public ReportService record() {
    service.record(
        outcome, client, Optional.empty(), Optional.empty(), DmarcPolicy.REJECT, Optional.empty());
    return service;
  }

  /** The same check, then recorded for aggregate reports. */
  @Benchmark
  public AuthOutcome checkAndRecord() {
    AuthOutcome outcome = check();
    service.record(
        outcome, client, Optional.empty(), Optional.empty(), DmarcPolicy.REJECT, Optional.empty());
    return outcome;
  }
}
