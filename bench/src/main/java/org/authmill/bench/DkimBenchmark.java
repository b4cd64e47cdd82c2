package org.authmill.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.authmill.dkim.DkimKeyRecord;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSignatureField;
import org.authmill.dkim.DkimSigner;
import org.authmill.dkim.DkimVerifier;
import org.authmill.dkim.DkimVerifyStream;
import org.authmill.dns.CachingResolver;
import org.authmill.dns.ParseResult;
import org.authmill.dns.ZoneResolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * authmill's DKIM (RFC 6376 §5 signing, §6 verifying; RSA per RFC 8301, Ed25519 per RFC 8463) on
 * the {@link BenchMessages}, fed as the milter feeds it ({@link MilterFeed}: header fields, end of
 * headers, body chunks). The key record comes from a warm {@link CachingResolver} over a {@link
 * ZoneResolver}, and parsed keys from a Caffeine cache as the filter keeps them ({@code
 * verifyUncachedKey} parses the key record for every message, as jDKIM does), so no network and no
 * DNS parsing is measured. Signatures cover the same fields as {@link JdkimBenchmark}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DkimBenchmark {
  /** The fields signed: those of the jDKIM template and the floor. */
  public static final List<String> SIGNED = List.of("From", "To", "Subject", "Date", "Message-ID");

  @Param({"4096", "102400"})
  public int bodySize;

  @Param({"rsa", "ed25519"})
  public String algorithm;

  private MilterFeed unsigned;
  private MilterFeed signed;
  private DkimSigner signer;
  private DkimVerifier verifier;
  private DkimVerifier uncachedKeyVerifier;

  @Setup
  public void setUp() throws Exception {
    DkimPrivateKey key =
        algorithm.equals("rsa")
            ? DkimPrivateKey.generateRsa(2048)
            : DkimPrivateKey.generateEd25519();
    signer =
        DkimSigner.builder()
            .domain("example.com")
            .selector("sel")
            .key(key)
            .headers(SIGNED)
            .oversign(List.of())
            .build();
    byte[] message = BenchMessages.message(bodySize);
    unsigned = MilterFeed.of(message);
    DkimSignStream signing = signer.newStream();
    unsigned.into(signing);
    DkimSignatureField field = signing.finish().get(0);
    byte[] head = (field.field() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] signedMessage = new byte[head.length + message.length];
    System.arraycopy(head, 0, signedMessage, 0, head.length);
    System.arraycopy(message, 0, signedMessage, head.length, message.length);
    signed = MilterFeed.of(signedMessage);

    ZoneResolver zone =
        ZoneResolver.fromText(
            "sel._domainkey.example.com. 3600 IN TXT " + BenchZones.txt(key.keyRecord()) + "\n");
    CachingResolver dns = CachingResolver.builder(zone).build();
    Cache<String, ParseResult<DkimKeyRecord>> keys =
        Caffeine.newBuilder().maximumSize(10_000).build();
    verifier =
        DkimVerifier.builder(dns).keyParser(text -> keys.get(text, DkimKeyRecord::parse)).build();
    uncachedKeyVerifier = DkimVerifier.builder(dns).build();
    for (DkimVerifier each : List.of(verifier, uncachedKeyVerifier)) {
      DkimOutcome outcome = verify(each).get(0);
      if (!outcome.passed()) {
        throw new IllegalStateException("authmill does not verify its own signature: " + outcome);
      }
    }
  }

  private List<DkimOutcome> verify(DkimVerifier with) {
    DkimVerifyStream verification = with.newStream();
    signed.into(verification);
    return verification.finish().toCompletableFuture().join();
  }

  /** Verifies the one signature, with the parsed key from the cache. */
  @Benchmark
  public List<DkimOutcome> verify() {
    return verify(verifier);
  }

  /** Verifies the one signature, parsing the key record again (as jDKIM does). */
  @Benchmark
  public List<DkimOutcome> verifyUncachedKey() {
    return verify(uncachedKeyVerifier);
  }

  /** Signs the message: body hash, header hash, one signature, the DKIM-Signature field text. */
  @Benchmark
  public List<DkimSignatureField> sign() {
    DkimSignStream signing = signer.newStream();
    unsigned.into(signing);
    return signing.finish();
  }
}
