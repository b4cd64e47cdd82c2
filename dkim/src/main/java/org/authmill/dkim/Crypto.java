package org.authmill.dkim;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The signature primitives, over a SHA-256 header hash computed by the caller: RSASSA-PKCS1-v1_5
 * (RFC 8017 §8.2, as RFC 6376 §3.3.1 signs) signed through the JCA's {@code NONEwithRSA} over the
 * DigestInfo and verified by RSAVP1 and a comparison of encodings, and Ed25519 with Bouncy Castle's
 * lightweight signer over the hash (RFC 8463 §3).
 */
final class Crypto {
  /** DER of DigestInfo { sha256, NULL } up to the 32-byte digest (RFC 8017 §9.2 note 1). */
  static final byte[] SHA256_DIGEST_INFO = {
    0x30,
    0x31,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    (byte) 0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x01,
    0x05,
    0x00,
    0x04,
    0x20
  };

  /** A SHA-256 made once; new digests are clones of it, cheaper than a provider lookup. */
  private static final MessageDigest SHA256 = newSha256();

  /** The DigestInfo and hash take this many octets at the end of an encoded message. */
  private static final int DIGEST_INFO_LENGTH = SHA256_DIGEST_INFO.length + 32;

  private Crypto() {}

  static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) of a signature over a SHA-256 hash: RSAVP1
   * with the public key, then the result compared, octet for octet, with the EMSA-PKCS1-v1_5
   * encoding of the hash (§9.2), which is the comparison RFC 8017 recommends (no parsing of the
   * decrypted block). This is the arithmetic the JCA's RSA does ({@code BigInteger.modPow}),
   * without its per-call provider lookup, cipher set-up and padding objects. A signature of any
   * length but the modulus's k octets does not verify (§8.2.2 step 1, as OpenSSL and the JCA's
   * {@code SHA256withRSA} check), nor does one not below the modulus (RSAVP1 step 1).
   */
  static boolean verifyRsa(PublicKey key, byte[] sha256, byte[] signature) {
    if (!(key instanceof RSAPublicKey rsa) || sha256.length != 32) {
      return false;
    }
    BigInteger modulus = rsa.getModulus();
    int k = (modulus.bitLength() + 7) / 8;
    if (signature.length != k || k < DIGEST_INFO_LENGTH + 11) {
      return false;
    }
    BigInteger s = new BigInteger(1, signature);
    if (s.compareTo(modulus) >= 0) {
      return false;
    }
    byte[] m = s.modPow(rsa.getPublicExponent(), modulus).toByteArray();
    // I2OSP(m, k) against EM = 0x00 0x01 PS(0xff...) 0x00 DigestInfo H; m has no leading zeros
    // beyond one sign octet, and EM's first octet is 0x00, so m must be the k-1 octets from 0x01.
    int offset = m.length - (k - 1);
    if (offset < 0 || offset > 1 || offset == 1 && m[0] != 0) {
      return false;
    }
    int diff = (m[offset] ^ 0x01);
    int psEnd = offset + (k - 1) - DIGEST_INFO_LENGTH - 1;
    for (int i = offset + 1; i < psEnd; i++) {
      diff |= m[i] ^ (byte) 0xff;
    }
    diff |= m[psEnd];
    for (int i = 0; i < SHA256_DIGEST_INFO.length; i++) {
      diff |= m[psEnd + 1 + i] ^ SHA256_DIGEST_INFO[i];
    }
    int hashStart = psEnd + 1 + SHA256_DIGEST_INFO.length;
    for (int i = 0; i < 32; i++) {
      diff |= m[hashStart + i] ^ sha256[i];
    }
    return diff == 0;
  }

  static boolean verifyEd25519(Ed25519PublicKeyParameters key, byte[] sha256, byte[] signature) {
    if (signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, key);
    verifier.update(sha256, 0, sha256.length);
    return verifier.verifySignature(signature);
  }

  static byte[] signEd25519(Ed25519PrivateKeyParameters key, byte[] sha256) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(sha256, 0, sha256.length);
    return signer.generateSignature();
  }
}
