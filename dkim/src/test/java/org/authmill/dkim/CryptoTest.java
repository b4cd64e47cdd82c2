package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CryptoTest {
  private static final byte[] DIGEST_INFO =
      HexFormat.of().parseHex("3031300d060960864801650304020105000420");
  private static KeyPair rsa;
  private static byte[] hash;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    rsa = generator.generateKeyPair();
    hash = Crypto.sha256().digest("header hash input".getBytes(StandardCharsets.US_ASCII));
  }

  private static RSAPublicKey publicKey() {
    return (RSAPublicKey) rsa.getPublic();
  }

  private static int k() {
    return (publicKey().getModulus().bitLength() + 7) / 8;
  }

  /** The RSA private operation on an arbitrary encoded message (test only: no blinding). */
  private static byte[] rawSign(byte[] em) {
    BigInteger m = new BigInteger(1, em);
    BigInteger s =
        m.modPow(((RSAPrivateKey) rsa.getPrivate()).getPrivateExponent(), publicKey().getModulus());
    byte[] bytes = s.toByteArray();
    byte[] out = new byte[k()];
    int copy = Math.min(bytes.length, k());
    System.arraycopy(bytes, bytes.length - copy, out, k() - copy, copy);
    return out;
  }

  /** EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of {@code t} into k octets: 00 01 FF.. 00 t. */
  private static byte[] encode(byte[] t) {
    byte[] em = new byte[k()];
    em[1] = 0x01;
    Arrays.fill(em, 2, k() - t.length - 1, (byte) 0xff);
    System.arraycopy(t, 0, em, k() - t.length, t.length);
    return em;
  }

  private static byte[] digestInfo(byte[] digest) {
    byte[] t = Arrays.copyOf(DIGEST_INFO, DIGEST_INFO.length + digest.length);
    System.arraycopy(digest, 0, t, DIGEST_INFO.length, digest.length);
    return t;
  }

  @Test
  void verifyRsa_jcaSignature_verifies() throws Exception {
    byte[] input = "header hash input".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(rsa.getPrivate());
    signer.update(input);
    assertThat(Crypto.verifyRsa(rsa.getPublic(), hash, signer.sign())).isTrue();
    assertThat(Crypto.verifyRsa(rsa.getPublic(), hash, Crypto.signRsaJdk(rsa.getPrivate(), hash)))
        .isTrue();
  }

  @Test
  void verifyRsa_otherHashOrChangedSignature_doesNotVerify() {
    byte[] signature = Crypto.signRsaJdk(rsa.getPrivate(), hash);
    byte[] otherHash = hash.clone();
    otherHash[31] ^= 1;
    assertThat(Crypto.verifyRsa(rsa.getPublic(), otherHash, signature)).isFalse();
    for (int i : new int[] {0, 1, 100, signature.length - 1}) {
      byte[] changed = signature.clone();
      changed[i] ^= 0x10;
      assertThat(Crypto.verifyRsa(rsa.getPublic(), hash, changed)).as("octet " + i).isFalse();
    }
  }

  @Test
  void verifyRsa_encodingDefects_doNotVerify() {
    byte[] good = encode(digestInfo(hash));
    assertThat(Crypto.verifyRsa(rsa.getPublic(), hash, rawSign(good))).isTrue();

    byte[] blockType2 = good.clone();
    blockType2[1] = 0x02;
    byte[] zeroInPadding = good.clone();
    zeroInPadding[20] = 0x00;
    byte[] noSeparator = good.clone();
    noSeparator[k() - 52] = (byte) 0xff;
    byte[] otherOid = good.clone();
    otherOid[k() - 51 + 14] ^= 0x01; // the last octet of the SHA-256 OID
    byte[] sha1Shaped = encode(digestInfo(Arrays.copyOf(hash, 20)));
    // trailing garbage after the hash, padding shortened to make room (Bleichenbacher 2006)
    byte[] garbage = encode(Arrays.copyOf(digestInfo(hash), 51 + 40));
    byte[] nonZeroFirst = good.clone();
    nonZeroFirst[0] = 0x01;
    for (byte[] em :
        new byte[][] {
          blockType2, zeroInPadding, noSeparator, otherOid, sha1Shaped, garbage, nonZeroFirst
        }) {
      if (new BigInteger(1, em).compareTo(publicKey().getModulus()) >= 0) {
        continue; // cannot be signed raw; covered by verifyRsa_outOfRange_doesNotVerify
      }
      assertThat(Crypto.verifyRsa(rsa.getPublic(), hash, rawSign(em)))
          .as(HexFormat.of().formatHex(em, 0, 8))
          .isFalse();
    }
  }

  @Test
  void verifyRsa_outOfRange_doesNotVerify() {
    byte[] modulus = publicKey().getModulus().toByteArray();
    byte[] n = Arrays.copyOfRange(modulus, modulus.length - k(), modulus.length);
    assertThat(Crypto.verifyRsa(rsa.getPublic(), hash, n)).isFalse();
    byte[] allOnes = new byte[k()];
    Arrays.fill(allOnes, (byte) 0xff);
    assertThat(Crypto.verifyRsa(rsa.getPublic(), hash, allOnes)).isFalse();
    byte[] signature = Crypto.signRsaJdk(rsa.getPrivate(), hash);
    byte[] longer = new byte[signature.length + 1];
    System.arraycopy(signature, 0, longer, 1, signature.length);
    assertThat(Crypto.verifyRsa(rsa.getPublic(), hash, longer)).isFalse();
    assertThat(Crypto.verifyRsa(rsa.getPublic(), hash, new byte[0])).isFalse();
  }

  @Test
  void verifyRsa_signatureWithLeadingZeroOctetsLeftOut_doesNotVerify() {
    // RFC 8017 §8.2.2 step 1: a signature is exactly k octets; the full-length one verifies.
    byte[] signature = null;
    byte[] digest = null;
    for (int i = 0; i < 5000 && signature == null; i++) {
      digest = Crypto.sha256().digest(("input " + i).getBytes(StandardCharsets.US_ASCII));
      byte[] candidate = rawSign(encode(digestInfo(digest)));
      if (candidate[0] == 0) {
        signature = Arrays.copyOfRange(candidate, 1, candidate.length);
      }
    }
    assertThat(signature).as("a signature with a leading zero octet").isNotNull();
    byte[] full = new byte[signature.length + 1];
    System.arraycopy(signature, 0, full, 1, signature.length);
    assertThat(Crypto.verifyRsa(rsa.getPublic(), digest, full)).isTrue();
    assertThat(Crypto.verifyRsa(rsa.getPublic(), digest, signature)).isFalse();
  }

  @Test
  void verifyRsa_notAnRsaKey_doesNotVerify() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    assertThat(
            Crypto.verifyRsa(
                generator.generateKeyPair().getPublic(),
                hash,
                Crypto.signRsaJdk(rsa.getPrivate(), hash)))
        .isFalse();
  }

  @Test
  void ed25519_signAndVerify_roundTrip() {
    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new byte[32], 0);
    byte[] signature = Crypto.signEd25519(key, hash);
    assertThat(Crypto.verifyEd25519(key.generatePublicKey(), hash, signature)).isTrue();
    signature[5] ^= 1;
    assertThat(Crypto.verifyEd25519(key.generatePublicKey(), hash, signature)).isFalse();
    assertThat(Crypto.verifyEd25519(key.generatePublicKey(), hash, new byte[63])).isFalse();
  }

  @Test
  void sha256_eachCallIsAFreshDigest() throws Exception {
    MessageDigest first = Crypto.sha256();
    first.update((byte) 'x');
    assertThat(Crypto.sha256().digest())
        .isEqualTo(
            HexFormat.of()
                .parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assertThat(first.digest())
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[] {'x'}));
  }
}
