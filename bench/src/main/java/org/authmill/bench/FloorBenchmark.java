package org.authmill.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
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
 * The cryptographic floor of DKIM with rsa-sha256 (RFC 6376 §3.7): SHA-256 over the canonical body,
 * SHA-256 over the signed header fields, and one RSA-2048 verification (resp. signature) in the
 * JCA. A DKIM implementation cannot do less work than this; the ratios in BENCHMARKS.md are
 * measured against it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloorBenchmark {
  @Param({"4096", "102400"})
  public int bodySize;

  private byte[] body;
  private byte[] headerBytes;
  private KeyPair rsa;
  private byte[] signature;

  @Setup
  public void setUp() throws Exception {
    body = BenchMessages.body(bodySize);
    headerBytes =
        ("from:Alice Example <alice@example.com>\r\nto:Bob Example <bob@example.org>\r\n"
                + "subject:Quarterly figures, draft 3 (please review before Monday)\r\n"
                + "date:Sat, 28 Nov 2026 09:29:58 +0000\r\n"
                + "message-id:<20261128092958.4711@mail-out.example.com>\r\n"
                + "dkim-signature:v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;"
                + " h=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=")
            .getBytes(StandardCharsets.US_ASCII);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    rsa = generator.generateKeyPair();
    signature = sign();
  }

  /** Body hash + header hash + RSA-2048 verify. */
  @Benchmark
  public boolean verify() throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] bodyHash = digest.digest(body);
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(rsa.getPublic());
    verifier.update(headerBytes);
    verifier.update(bodyHash);
    return verifier.verify(signature);
  }

  /** Body hash + header hash + RSA-2048 sign. */
  @Benchmark
  public byte[] sign() throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] bodyHash = digest.digest(body);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(rsa.getPrivate());
    signer.update(headerBytes);
    signer.update(bodyHash);
    return signer.sign();
  }
}
