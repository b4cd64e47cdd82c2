package org.authmill.dkim;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The DKIM building blocks that ARC (RFC 8617 §4.1: "the same as DKIM") reuses, and nothing more:
 * the tag-list syntax (RFC 6376 §3.2), base64 (§2.4), header and body canonicalization (§3.4),
 * removing a {@code b=} value (§3.7), SHA-256, and signing and verifying with a key (§3.3, RFC 8463
 * §3). The engines ({@link DkimVerifier}, {@link DkimSigner}) stay the way to verify and sign
 * DKIM-Signature fields; this class only opens their parts to the {@code arc} module.
 */
public final class DkimPrimitives {
  private DkimPrimitives() {}

  /**
   * Parses a tag-list (RFC 6376 §3.2) into tag names and values, in order, with folding around the
   * values removed. Throws {@link IllegalArgumentException} naming the problem for a malformed list
   * (a duplicate tag, a tag without "=", an invalid tag name, an empty tag-spec).
   */
  public static Map<String, String> tags(String text) {
    Objects.requireNonNull(text, "text");
    try {
      TagList list = TagList.parse(text);
      Map<String, String> out = new java.util.LinkedHashMap<>();
      for (String name : list.names()) {
        out.put(name, list.get(name));
      }
      return java.util.Collections.unmodifiableMap(out);
    } catch (TagList.SyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The value with all folding whitespace removed. */
  public static String stripWhitespace(String value) {
    return TagList.stripWhitespace(value);
  }

  /** A colon-separated list (as {@code h=}), each element with whitespace removed. */
  public static List<String> colonList(String value) {
    return TagList.colonList(value);
  }

  /** Strict RFC 6376 §2.4 base64 after removing whitespace, or null when it is not valid. */
  public static byte[] base64(String value) {
    return TagList.strictBase64(value);
  }

  /**
   * True for a d= or s= already in the form it is looked up in (RFC 6376 §3.1, §3.5): a host name
   * in ASCII, as written, without a trailing dot.
   */
  public static boolean isDomainName(String name) {
    return ParsedSignature.isAsciiName(name);
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    return Crypto.sha256();
  }

  /**
   * Feeds one raw header field ({@code Name:value} with its folding, no final CRLF) into a digest,
   * canonicalized (RFC 6376 §3.4.1, §3.4.2), followed by CRLF unless {@code last}.
   */
  public static void hashHeader(
      MessageDigest digest, Canonicalization canon, byte[] field, boolean last) {
    new HeaderCanonicalizer().update(digest, canon, field, last);
  }

  /** The field with the value of its {@code b=} tag removed (RFC 6376 §3.7), octet for octet. */
  public static byte[] withoutSignatureValue(byte[] field) {
    return HeaderCanonicalizer.withoutSignatureValue(field);
  }

  /**
   * Verifies a signature over a SHA-256 header hash with a published key: RSASSA-PKCS1-v1_5 for
   * {@code k=rsa}, Ed25519 for {@code k=ed25519}. False for a revoked key or a key of another type.
   */
  public static boolean verify(
      DkimKeyRecord key, SignatureAlgorithm algorithm, byte[] sha256, byte[] signature) {
    if (key.revoked() || !key.keyType().equals(algorithm.keyType())) {
      return false;
    }
    return algorithm == SignatureAlgorithm.RSA_SHA256
        ? Crypto.verifyRsa(key.rsaKey(), sha256, signature)
        : Crypto.verifyEd25519(key.ed25519Key(), sha256, signature);
  }

  /** Signs a SHA-256 header hash with a private key, by the key's own algorithm. */
  public static byte[] sign(DkimPrivateKey key, byte[] sha256) {
    return key.sign(sha256);
  }

  /** A streaming body hash with this canonicalization and optional length limit (-1: none). */
  public static BodyHash bodyHash(Canonicalization canon, long limit) {
    return new BodyHash(canon, limit);
  }

  /**
   * The canonical body hash of RFC 6376 §3.7, fed in chunks split anywhere; memory does not grow
   * with the body. Not thread-safe.
   */
  public static final class BodyHash {
    private final BodyCanonicalizer canonicalizer;
    private final BodyHashSink sink;
    private boolean finished;

    private BodyHash(Canonicalization canon, long limit) {
      this.canonicalizer = BodyCanonicalizer.of(canon);
      this.sink = canonicalizer.sink(limit);
    }

    /** Feeds a chunk of the body in wire form (CRLF line ends). */
    public void update(byte[] bytes, int offset, int length) {
      canonicalizer.update(bytes, offset, length);
    }

    /** Feeds the remaining bytes of a buffer, consuming them. */
    public void update(ByteBuffer chunk) {
      canonicalizer.update(chunk);
    }

    /** Ends the body (idempotent) and returns its hash. */
    public byte[] finish() {
      if (!finished) {
        finished = true;
        canonicalizer.finish();
      }
      return sink.hash().clone();
    }

    /** The canonical body length so far (after {@link #finish()}: in total). */
    public long length() {
      return sink.length();
    }
  }
}
