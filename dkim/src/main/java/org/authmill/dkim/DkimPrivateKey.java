package org.authmill.dkim;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A DKIM signing key, RSA (RFC 6376 §3.3.1, at least 1024 bits per RFC 8301 §3.2) or Ed25519 (RFC
 * 8463 §3), read from the files OpenDKIM, dkimpy and openssl write: PEM PKCS#1 ({@code RSA PRIVATE
 * KEY}), PEM PKCS#8 ({@code PRIVATE KEY}, RSA or Ed25519), or the base64 32-octet Ed25519 seed of
 * the RFC 8463 and dkimpy examples.
 */
public final class DkimPrivateKey {
  /** The smallest RSA key authmill signs with (RFC 8301 §3.2). */
  public static final int MIN_RSA_BITS = 1024;

  /** The largest RSA key authmill generates or reads. */
  public static final int MAX_RSA_BITS = 8192;

  /** Key files larger than this are not read. */
  public static final int MAX_KEY_FILE_BYTES = 64 * 1024;

  private final SignatureAlgorithm algorithm;
  private final RSAPrivateCrtKey rsa;
  private final Ed25519PrivateKeyParameters ed25519;

  private DkimPrivateKey(RSAPrivateCrtKey rsa, Ed25519PrivateKeyParameters ed25519) {
    this.rsa = rsa;
    this.ed25519 = ed25519;
    this.algorithm =
        rsa != null ? SignatureAlgorithm.RSA_SHA256 : SignatureAlgorithm.ED25519_SHA256;
  }

  /**
   * Reads a key file. Throws {@link IllegalArgumentException} naming the problem for anything that
   * is not a usable unencrypted key.
   */
  public static DkimPrivateKey read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_KEY_FILE_BYTES) {
      throw new IllegalArgumentException(
          file + " is " + size + " octets, too large for a key (limit " + MAX_KEY_FILE_BYTES + ")");
    }
    try {
      return parse(Files.readString(file, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a key from the text of a key file (see the class description for the formats). */
  public static DkimPrivateKey parse(String text) {
    String trimmed = text.strip();
    if (!trimmed.startsWith("-----BEGIN")) {
      byte[] raw;
      try {
        raw = Base64.getMimeDecoder().decode(trimmed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a PEM key and not a base64 Ed25519 seed");
      }
      if (raw.length == 32 || raw.length == 64) {
        // 32: the RFC 8032 seed; 64: libsodium's seed followed by the public key
        return new DkimPrivateKey(null, new Ed25519PrivateKeyParameters(raw, 0));
      }
      throw new IllegalArgumentException(
          "not a PEM key, and its " + raw.length + " base64 octets are not an Ed25519 seed (32)");
    }
    Object object;
    try (PEMParser parser = new PEMParser(new StringReader(trimmed))) {
      object = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable PEM: " + e.getMessage(), e);
    }
    if (object instanceof PEMKeyPair pair) {
      return fromInfo(pair.getPrivateKeyInfo());
    }
    if (object instanceof PrivateKeyInfo info) {
      return fromInfo(info);
    }
    if (object instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new IllegalArgumentException(
          "the key is encrypted; decrypt it first (openssl pkey -in KEY -out PLAIN)");
    }
    throw new IllegalArgumentException(
        "the PEM holds "
            + (object == null ? "nothing" : object.getClass().getSimpleName())
            + ", not an RSA or Ed25519 private key");
  }

  private static DkimPrivateKey fromInfo(PrivateKeyInfo info) {
    var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    try {
      if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        PrivateKey key =
            KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        if (!(key instanceof RSAPrivateCrtKey crt)) {
          throw new IllegalArgumentException("RSA key without CRT parameters");
        }
        int bits = crt.getModulus().bitLength();
        if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
          throw new IllegalArgumentException(
              "RSA key of "
                  + bits
                  + " bits; DKIM needs "
                  + MIN_RSA_BITS
                  + " to "
                  + MAX_RSA_BITS
                  + " (RFC 8301 §3.2)");
        }
        return new DkimPrivateKey(crt, null);
      }
      if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
        AsymmetricKeyParameter params = PrivateKeyFactory.createKey(info);
        return new DkimPrivateKey(null, (Ed25519PrivateKeyParameters) params);
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "unsupported key algorithm " + oid + " (DKIM signs with RSA or Ed25519)");
  }

  /** A new RSA key of {@code bits} bits (public exponent 65537). */
  public static DkimPrivateKey generateRsa(int bits) {
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw new IllegalArgumentException(
          "RSA key size must be " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits: " + bits);
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
      return new DkimPrivateKey((RSAPrivateCrtKey) generator.generateKeyPair().getPrivate(), null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation failed: " + e.getMessage(), e);
    }
  }

  /** A new Ed25519 key. */
  public static DkimPrivateKey generateEd25519() {
    return new DkimPrivateKey(null, new Ed25519PrivateKeyParameters(new SecureRandom()));
  }

  /** The algorithm this key signs with. */
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** The key size in bits: the RSA modulus, or 256 for Ed25519. */
  public int bits() {
    return rsa != null ? rsa.getModulus().bitLength() : 256;
  }

  /**
   * The {@code p=} octets of the matching key record: a DER SubjectPublicKeyInfo for RSA, the raw
   * 32-octet public key for Ed25519 (RFC 8463 §4).
   */
  public byte[] publicKeyData() {
    if (ed25519 != null) {
      return ed25519.generatePublicKey().getEncoded();
    }
    try {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key record to publish at {@code selector._domainkey.domain} (RFC 6376 §3.6.1). */
  public String keyRecord() {
    return "v=DKIM1; k="
        + algorithm.keyType()
        + "; p="
        + Base64.getEncoder().encodeToString(publicKeyData());
  }

  /** True when a published key record holds this key's public half. */
  public boolean matches(DkimKeyRecord record) {
    Objects.requireNonNull(record, "record");
    if (record.revoked() || !record.keyType().equals(algorithm.keyType())) {
      return false;
    }
    if (ed25519 != null) {
      return Arrays.equals(record.publicKeyData(), publicKeyData());
    }
    RSAPublicKey published = (RSAPublicKey) record.rsaKey();
    return published.getModulus().equals(rsa.getModulus())
        && published.getPublicExponent().equals(rsa.getPublicExponent());
  }

  /** The key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as {@code openssl pkey} reads. */
  public String toPkcs8Pem() {
    byte[] der;
    if (rsa != null) {
      der = rsa.getEncoded();
    } else {
      try {
        PrivateKeyInfo info = PrivateKeyInfoFactory.createPrivateKeyInfo(ed25519);
        // the plain RFC 8410 form: version 0, no attributes or public key
        der =
            new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey()).getEncoded();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  byte[] sign(byte[] sha256) {
    return rsa != null ? Crypto.signRsa(rsa, sha256) : Crypto.signEd25519(ed25519, sha256);
  }

  @Override
  public String toString() {
    return "DkimPrivateKey[" + algorithm.tag() + ", " + bits() + " bits]";
  }
}
