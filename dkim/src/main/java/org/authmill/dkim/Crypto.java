package org.authmill.dkim;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The signature primitives, over a SHA-256 header hash computed by the caller: RSASSA-PKCS1-v1_5
 * (RFC 8017 §8.2, as RFC 6376 §3.3.1 signs), signed as RSASP1 over the EMSA-PKCS1-v1_5 encoding (or
 * the JDK's {@code NONEwithRSA} over the DigestInfo) and verified by RSAVP1 and a comparison of
 * encodings, the raw RSA operation and SHA-256 computed by the provider {@link NativeCrypto}
 * chooses; and Ed25519 with Bouncy Castle's lightweight signer over the hash (RFC 8463 §3).
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

  /** A JDK SHA-256 made once; new digests are clones of it, cheaper than a provider lookup. */
  private static final MessageDigest SHA256 = newSha256();

  /** Per event-loop thread, the native provider's raw RSA cipher (set up once per thread). */
  private static final ThreadLocal<Cipher> NATIVE_RSA = new ThreadLocal<>();

  /** The DigestInfo and hash take this many octets at the end of an encoded message. */
  private static final int DIGEST_INFO_LENGTH = SHA256_DIGEST_INFO.length + 32;

  private Crypto() {}

  /** A new SHA-256, the native provider's when it is in use. */
  static MessageDigest sha256() {
    try {
      return (MessageDigest) NativeCrypto.sha256().orElse(SHA256).clone();
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
   * decrypted block). RSAVP1 is the native provider's raw RSA when {@link NativeCrypto} uses it,
   * else the arithmetic the JCA's RSA does ({@code BigInteger.modPow}) without its per-call
   * provider lookup, cipher set-up and padding objects. A signature of any length but the modulus's
   * k octets does not verify (§8.2.2 step 1, as OpenSSL and the JCA's {@code SHA256withRSA} check),
   * nor does one not below the modulus (RSAVP1 step 1).
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
    Optional<Provider> provider = NativeCrypto.provider();
    byte[] m =
        provider.isPresent()
            ? rsaNative(provider.get(), Cipher.DECRYPT_MODE, rsa, signature)
            : null;
    if (m == null) {
      // the JDK's arithmetic, also for a key the native provider refuses (AWS-LC takes public
      // exponents of at most 33 bits), so that the provider never changes a verdict
      m = s.modPow(rsa.getPublicExponent(), modulus).toByteArray();
    }
    // I2OSP(m, k) against EM = 0x00 0x01 PS(0xff...) 0x00 DigestInfo H; m has no leading zeros
    // beyond one octet (BigInteger's sign octet, or I2OSP's full k octets from the provider), and
    // EM's first octet is 0x00, so m must be the k-1 octets from 0x01.
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

  /** The RSASSA-PKCS1-v1_5 signature of a SHA-256 hash with the provider in use. */
  static byte[] signRsa(PrivateKey key, byte[] sha256) {
    Optional<Provider> provider =
        key instanceof RSAPrivateKey ? NativeCrypto.provider() : Optional.empty();
    if (provider.isEmpty()) {
      return signRsaJdk(key, sha256);
    }
    RSAPrivateKey rsa = (RSAPrivateKey) key;
    byte[] signature =
        rsaNative(
            provider.get(),
            Cipher.ENCRYPT_MODE,
            rsa,
            emsaPkcs1(sha256, rsa.getModulus().bitLength()));
    // a key the native provider refuses is signed by the JDK: the same octets either way
    return signature != null ? signature : signRsaJdk(key, sha256);
  }

  /** With the JDK's provider: {@code NONEwithRSA} over DigestInfo || hash. */
  static byte[] signRsaJdk(PrivateKey key, byte[] sha256) {
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

  /**
   * The raw RSA operation by a native provider: RSASP1 ({@code ENCRYPT_MODE} with a private key) or
   * RSAVP1 ({@code DECRYPT_MODE} with a public key), as {@code RSA/ECB/NoPadding}; null when the
   * provider refuses the key or the input, for the caller to use the JDK instead.
   */
  static byte[] rsaNative(Provider provider, int opmode, java.security.Key key, byte[] input) {
    try {
      Cipher cipher = NATIVE_RSA.get();
      if (cipher == null || cipher.getProvider() != provider) {
        cipher = Cipher.getInstance("RSA/ECB/NoPadding", provider);
        NATIVE_RSA.set(cipher);
      }
      cipher.init(opmode, NativeCrypto.translate(provider, key));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException | RuntimeException e) {
      NATIVE_RSA.remove(); // a fresh cipher next time, whatever state this one was left in
      return null;
    }
  }

  /**
   * EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of a SHA-256 hash for a modulus of {@code bits} bits: {@code 00
   * 01 FF..FF 00 DigestInfo H}, as long as the modulus.
   */
  static byte[] emsaPkcs1(byte[] sha256, int bits) {
    int k = (bits + 7) / 8;
    int t = SHA256_DIGEST_INFO.length + sha256.length;
    if (sha256.length != 32 || k < t + 11) {
      throw new IllegalArgumentException("RSA modulus of " + bits + " bits too short for SHA-256");
    }
    byte[] em = new byte[k];
    em[1] = 0x01;
    Arrays.fill(em, 2, k - t - 1, (byte) 0xff);
    System.arraycopy(SHA256_DIGEST_INFO, 0, em, k - t, SHA256_DIGEST_INFO.length);
    System.arraycopy(sha256, 0, em, k - sha256.length, sha256.length);
    return em;
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
