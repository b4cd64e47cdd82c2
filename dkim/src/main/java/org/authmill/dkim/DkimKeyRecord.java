package org.authmill.dkim;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.authmill.dns.Excerpt;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * A parsed DKIM public key record (RFC 6376 §3.6.1; {@code k=ed25519} from RFC 8463 §4), reusable
 * across messages: parse once with {@link #parse(String)}, cache, verify many times.
 *
 * <p>Tags: {@code v} (must be {@code DKIM1} and first when present), {@code h} (acceptable hash
 * algorithms), {@code k} (key type, default {@code rsa}), {@code n} (notes), {@code p} (public key;
 * empty means revoked), {@code s} (service types, default {@code *}), {@code t} (flags: {@code y}
 * testing, {@code s} strict identity). An RSA {@code p=} is a DER SubjectPublicKeyInfo (a bare
 * PKCS#1 RSAPublicKey is also accepted); an Ed25519 {@code p=} is the raw 32-octet key.
 */
public final class DkimKeyRecord {
  private final String keyType;
  private final List<String> hashAlgorithms;
  private final List<String> serviceTypes;
  private final List<String> flags;
  private final String notes;
  private final byte[] publicKeyData;
  private final int keyBits;
  private final PublicKey rsaKey;
  private final Ed25519PublicKeyParameters ed25519Key;

  private DkimKeyRecord(
      String keyType,
      List<String> hashAlgorithms,
      List<String> serviceTypes,
      List<String> flags,
      String notes,
      byte[] publicKeyData,
      int keyBits,
      PublicKey rsaKey,
      Ed25519PublicKeyParameters ed25519Key) {
    this.keyType = keyType;
    this.hashAlgorithms = List.copyOf(hashAlgorithms);
    this.serviceTypes = List.copyOf(serviceTypes);
    this.flags = List.copyOf(flags);
    this.notes = notes;
    this.publicKeyData = publicKeyData;
    this.keyBits = keyBits;
    this.rsaKey = rsaKey;
    this.ed25519Key = ed25519Key;
  }

  /** Parses the text of one TXT record (its strings already joined, RFC 6376 §3.6.2.2). */
  public static DkimKeyParse parse(String text) {
    Objects.requireNonNull(text, "text");
    TagList tags;
    try {
      tags = TagList.parse(text);
    } catch (TagList.SyntaxException e) {
      return new DkimKeyParse.Invalid("malformed key record: " + e.getMessage());
    }
    String v = tags.get("v");
    if (v != null) {
      if (!v.equals("DKIM1")) {
        return new DkimKeyParse.Invalid(
            "key record has v=" + Excerpt.of(v) + ", not DKIM1 (RFC 6376 §3.6.1)");
      }
      if (!tags.names().get(0).equals("v")) {
        return new DkimKeyParse.Invalid("key record's v= tag is not the first tag");
      }
    }
    String k = tags.get("k");
    String keyType = k == null ? "rsa" : TagList.stripWhitespace(k).toLowerCase(Locale.ROOT);
    if (!keyType.equals("rsa") && !keyType.equals("ed25519")) {
      return new DkimKeyParse.Invalid("unknown key type k=" + Excerpt.of(keyType));
    }
    List<String> hashes = tags.has("h") ? lower(TagList.colonList(tags.get("h"))) : List.of();
    List<String> services = tags.has("s") ? lower(TagList.colonList(tags.get("s"))) : List.of("*");
    List<String> flags = tags.has("t") ? lower(TagList.colonList(tags.get("t"))) : List.of();
    String notes = tags.has("n") ? tags.get("n") : "";
    String p = tags.get("p");
    if (p == null) {
      return new DkimKeyParse.Invalid("key record has no p= tag");
    }
    byte[] data = TagList.base64(p);
    if (data == null) {
      return new DkimKeyParse.Invalid("key record's p= is not valid base64");
    }
    if (data.length == 0) {
      return new DkimKeyParse.Valid(
          new DkimKeyRecord(keyType, hashes, services, flags, notes, data, 0, null, null));
    }
    if (keyType.equals("ed25519")) {
      if (data.length != Ed25519PublicKeyParameters.KEY_SIZE) {
        return new DkimKeyParse.Invalid(
            "ed25519 key p= has " + data.length + " octets, not 32 (RFC 8463 §4)");
      }
      Ed25519PublicKeyParameters ed25519;
      try {
        ed25519 = new Ed25519PublicKeyParameters(data, 0);
      } catch (RuntimeException e) {
        return new DkimKeyParse.Invalid("key record's p= is not a valid Ed25519 public key");
      }
      return new DkimKeyParse.Valid(
          new DkimKeyRecord(keyType, hashes, services, flags, notes, data, 256, null, ed25519));
    }
    PublicKey key = rsaPublicKey(data);
    if (key == null) {
      return new DkimKeyParse.Invalid("key record's p= is not a valid RSA public key");
    }
    int bits = ((RSAPublicKey) key).getModulus().bitLength();
    return new DkimKeyParse.Valid(
        new DkimKeyRecord(keyType, hashes, services, flags, notes, data, bits, key, null));
  }

  /** Reads a DER SubjectPublicKeyInfo, or failing that a PKCS#1 RSAPublicKey; null if neither. */
  static PublicKey rsaPublicKey(byte[] der) {
    try {
      KeyFactory factory = KeyFactory.getInstance("RSA");
      try {
        PublicKey key = factory.generatePublic(new X509EncodedKeySpec(der));
        if (key instanceof RSAPublicKey) {
          return key;
        }
      } catch (java.security.GeneralSecurityException | RuntimeException notSpki) {
        // try PKCS#1 below
      }
      org.bouncycastle.asn1.pkcs.RSAPublicKey pkcs1 =
          org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(
              org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der));
      return factory.generatePublic(
          new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
    } catch (Exception e) {
      return null;
    }
  }

  private static List<String> lower(List<String> values) {
    return values.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }

  /** The key type ({@code k=}): {@code rsa} or {@code ed25519}. */
  public String keyType() {
    return keyType;
  }

  /** The acceptable hash algorithms ({@code h=}), empty when any is allowed. */
  public List<String> hashAlgorithms() {
    return hashAlgorithms;
  }

  /** The service types ({@code s=}), {@code *} by default. */
  public List<String> serviceTypes() {
    return serviceTypes;
  }

  /** The flags ({@code t=}), such as {@code y} and {@code s}. */
  public List<String> flags() {
    return flags;
  }

  /** The notes ({@code n=}), or empty. */
  public String notes() {
    return notes;
  }

  /** True when {@code p=} is empty: the key has been revoked (RFC 6376 §3.6.1). */
  public boolean revoked() {
    return publicKeyData.length == 0;
  }

  /** True for {@code t=y}: the domain is testing DKIM. */
  public boolean testing() {
    return flags.contains("y");
  }

  /** True for {@code t=s}: {@code i=} must use exactly the {@code d=} domain. */
  public boolean strict() {
    return flags.contains("s");
  }

  /** True when the key may be used for email ({@code s=*} or {@code s=email}). */
  public boolean allowsEmail() {
    return serviceTypes.contains("*") || serviceTypes.contains("email");
  }

  /** True when the key allows this hash algorithm ({@code h=} absent or listing it). */
  public boolean allowsHash(String hash) {
    return hashAlgorithms.isEmpty() || hashAlgorithms.contains(hash);
  }

  /** The key size in bits: the RSA modulus, 256 for Ed25519, 0 when revoked. */
  public int keyBits() {
    return keyBits;
  }

  /** The decoded {@code p=} octets. */
  public byte[] publicKeyData() {
    return publicKeyData.clone();
  }

  PublicKey rsaKey() {
    return rsaKey;
  }

  Ed25519PublicKeyParameters ed25519Key() {
    return ed25519Key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DkimKeyRecord other
        && keyType.equals(other.keyType)
        && hashAlgorithms.equals(other.hashAlgorithms)
        && serviceTypes.equals(other.serviceTypes)
        && flags.equals(other.flags)
        && notes.equals(other.notes)
        && Arrays.equals(publicKeyData, other.publicKeyData);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyType, flags, Arrays.hashCode(publicKeyData));
  }

  @Override
  public String toString() {
    return "DkimKeyRecord[k=" + keyType + ", " + keyBits + " bits, t=" + flags + "]";
  }
}
