package org.authmill.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
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
 * The cryptographic floor of DKIM (RFC 6376 §3.7): SHA-256 over the canonical body, SHA-256 over
 * the signed header fields, and one signature verification (resp. signature): RSA-2048 in the JCA
 * ({@code SHA256withRSA}, RFC 6376 §3.3.1), Ed25519 in Bouncy Castle over the header hash (RFC 8463
 * §3), the providers authmill uses. The digest and signature objects are made once and reused, so
 * nothing but the cryptography is measured. A DKIM implementation cannot do less work than this;
 * the ratios in BENCHMARKS.md are measured against it.
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

  @Param({"rsa", "ed25519"})
  public String algorithm;

  private byte[] body;
  private byte[] headerBytes;
  private MessageDigest digest;
  private KeyPair rsa;
  private Signature rsaVerifier;
  private Signature rsaSigner;
  private Ed25519Signer edVerifier;
  private Ed25519Signer edSigner;
  private byte[] signature;

  @Setup
  public void setUp() throws Exception {
    body = BenchMessages.body(bodySize);
    headerBytes =
        ("from:Alice Example <alice@example.com>\r\nto:Bob Example <bob@example.org>\r\n"
                + "subject:Quarterly figures, draft 3 (please review before Monday)\r\n"
                + "date:Sat, 28 Nov 2026 09:29:58 +0000\r\n"
                + "message-id:<20261128092958.4711@mail-out.example.com>\r\n"
                + "dkim-signature:v=1; a="
                + algorithm
                + "-sha256; c=relaxed/relaxed; d=example.com; s=sel; t=1795858198;"
                + " h=From:To:Subject:Date:Message-ID;"
                + " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=")
            .getBytes(StandardCharsets.US_ASCII);
    digest = MessageDigest.getInstance("SHA-256");
    if (algorithm.equals("rsa")) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      rsa = generator.generateKeyPair();
      rsaVerifier = Signature.getInstance("SHA256withRSA");
      rsaSigner = Signature.getInstance("SHA256withRSA");
    } else {
      Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
      Ed25519PublicKeyParameters publicKey = key.generatePublicKey();
      edSigner = new Ed25519Signer();
      edSigner.init(true, key);
      edVerifier = new Ed25519Signer();
      edVerifier.init(false, publicKey);
    }
    signature = sign();
    if (!verify()) {
      throw new IllegalStateException("the floor does not verify its own signature");
    }
  }

  /** Body hash + header hash + one verification. */
  @Benchmark
  public boolean verify() throws Exception {
    byte[] bodyHash = digest.digest(body);
    if (rsa != null) {
      rsaVerifier.initVerify(rsa.getPublic());
      rsaVerifier.update(headerBytes);
      rsaVerifier.update(bodyHash);
      return rsaVerifier.verify(signature);
    }
    digest.update(headerBytes);
    byte[] headerHash = digest.digest(bodyHash);
    edVerifier.update(headerHash, 0, headerHash.length);
    return edVerifier.verifySignature(signature);
  }

  /** Body hash + header hash + one signature. */
  @Benchmark
  public byte[] sign() throws Exception {
    byte[] bodyHash = digest.digest(body);
    if (rsa != null) {
      rsaSigner.initSign(rsa.getPrivate());
      rsaSigner.update(headerBytes);
      rsaSigner.update(bodyHash);
      return rsaSigner.sign();
    }
    digest.update(headerBytes);
    byte[] headerHash = digest.digest(bodyHash);
    edSigner.update(headerHash, 0, headerHash.length);
    return edSigner.generateSignature();
  }
}
