package org.authmill.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The signature primitives, over a SHA-256 header hash computed by the caller: RSASSA-PKCS1-v1_5
 * through the JCA's {@code NONEwithRSA} over the DigestInfo (RFC 8017 §9.2, as RFC 6376 §3.3.1
 * signs), and Ed25519 with Bouncy Castle's lightweight signer over the hash (RFC 8463 §3).
 */
final class Crypto {
  /** DER of DigestInfo { sha256, NULL } up to the 32-byte digest (RFC 8017 §9.2 note 1). */
  private static final byte[] SHA256_DIGEST_INFO = {
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

  private Crypto() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static boolean verifyRsa(PublicKey key, byte[] sha256, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("NONEwithRSA");
      verifier.initVerify(key);
      verifier.update(SHA256_DIGEST_INFO);
      verifier.update(sha256);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a malformed signature value (wrong length) does not verify
    }
  }

  static byte[] signRsa(PrivateKey key, byte[] sha256) {
    try {
      Signature signer = Signature.getInstance("NONEwithRSA");
      signer.initSign(key);
      signer.update(SHA256_DIGEST_INFO);
      signer.update(sha256);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA signing failed: " + e.getMessage(), e);
    }
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
