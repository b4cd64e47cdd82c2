package org.authmill.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
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
 * Apache James jDKIM, the JVM library authmill is compared with: verifying and signing the same
 * rsa-sha256 messages as {@link FloorBenchmark}, with the key served from memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdkimBenchmark {
  private static final String TEMPLATE =
      "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;"
          + " h=from:to:subject:date:message-id; bh=; b=;";

  @Param({"4096", "102400"})
  public int bodySize;

  private byte[] message;
  private byte[] signedMessage;
  private DKIMSigner signer;
  private DKIMVerifier verifier;

  @Setup
  public void setUp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair rsa = generator.generateKeyPair();
    String record =
        "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded());
    message = BenchMessages.message(bodySize);
    signer = new DKIMSigner(TEMPLATE, rsa.getPrivate());
    String header = signer.sign(new ByteArrayInputStream(message));
    byte[] head = (header + "\r\n").getBytes(StandardCharsets.US_ASCII);
    signedMessage = new byte[head.length + message.length];
    System.arraycopy(head, 0, signedMessage, 0, head.length);
    System.arraycopy(message, 0, signedMessage, head.length, message.length);
    verifier = new DKIMVerifier((method, selector, domain) -> List.of(record));
    if (verify().isEmpty()) {
      throw new IllegalStateException("jDKIM does not verify its own signature");
    }
  }

  @Benchmark
  public List<SignatureRecord> verify() throws Exception {
    return verifier.verify(new ByteArrayInputStream(signedMessage));
  }

  @Benchmark
  public String sign() throws Exception {
    return signer.sign(new ByteArrayInputStream(message));
  }
}
