package org.authmill.arc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.authmill.dkim.Canonicalization;
import org.authmill.dkim.DkimPrimitives;
import org.authmill.dkim.SignatureAlgorithm;

/**
 * One ARC-Message-Signature header field (RFC 8617 §4.1.2): a DKIM-Signature (RFC 6376 §3.5)
 * without {@code v=}, whose {@code i=} is the instance. Required: {@code a}, {@code b}, {@code bh},
 * {@code d}, {@code h}, {@code i}, {@code s}; {@code c} defaults to simple/simple as in DKIM. The
 * {@code h=} list may not name ARC-Seal (§4.1.2) and, unlike DKIM's, need not name From.
 */
record ArcSignatureField(
    int instance,
    SignatureAlgorithm algorithm,
    Canonicalization headerCanon,
    Canonicalization bodyCanon,
    String domain,
    String selector,
    List<String> signedHeaders,
    byte[] bodyHash,
    byte[] signature,
    long bodyLength,
    long timestamp,
    long expiry,
    byte[] raw) {
  static final String NAME = "arc-message-signature";

  /** Parses a raw field; throws naming the problem. */
  static ArcSignatureField parse(byte[] raw) throws ArcHeaderException {
    String what = "ARC-Message-Signature";
    Map<String, String> tags = ArcTags.parse(what, ArcTags.value(raw));
    int instance = ArcTags.instance(what, ArcTags.require(what, tags, "i"));
    what = "ARC-Message-Signature i=" + instance;
    SignatureAlgorithm algorithm = ArcTags.algorithm(what, ArcTags.require(what, tags, "a"));
    Canonicalization headerCanon = Canonicalization.SIMPLE;
    Canonicalization bodyCanon = Canonicalization.SIMPLE;
    String c = tags.get("c");
    if (c != null) {
      String v = DkimPrimitives.stripWhitespace(c);
      int slash = v.indexOf('/');
      headerCanon = Canonicalization.fromTag(slash < 0 ? v : v.substring(0, slash)).orElse(null);
      bodyCanon =
          slash < 0
              ? Canonicalization.SIMPLE
              : Canonicalization.fromTag(v.substring(slash + 1)).orElse(null);
      if (headerCanon == null || bodyCanon == null) {
        throw new ArcHeaderException(what + " has an unknown canonicalization c=" + shorten(v));
      }
    }
    String domain = ArcTags.name(what, "d", ArcTags.require(what, tags, "d"));
    String selector = ArcTags.name(what, "s", ArcTags.require(what, tags, "s"));
    List<String> signed = new ArrayList<>();
    String h = ArcTags.require(what, tags, "h");
    if (!DkimPrimitives.stripWhitespace(h).isEmpty()) {
      for (String name : DkimPrimitives.colonList(h)) {
        if (name.isEmpty()) {
          continue; // an empty element selects nothing
        }
        if (!isFieldName(name)) {
          throw new ArcHeaderException(
              what + " has an invalid header name in h=: " + shorten(name));
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals(ArcSealField.NAME)) {
          throw new ArcHeaderException(
              what + " signs ARC-Seal in h=, which RFC 8617 §4.1.2 forbids");
        }
        signed.add(lower);
      }
    }
    byte[] bodyHash = ArcTags.base64(what, "bh", ArcTags.require(what, tags, "bh"));
    byte[] signature = ArcTags.base64(what, "b", ArcTags.require(what, tags, "b"));
    long bodyLength = ArcTags.number(what, tags, "l");
    long timestamp = ArcTags.number(what, tags, "t");
    long expiry = ArcTags.number(what, tags, "x");
    if (expiry >= 0 && timestamp >= 0 && expiry <= timestamp) {
      throw new ArcHeaderException(
          what + " expires (x=" + expiry + ") before it was made (t=" + timestamp + ")");
    }
    return new ArcSignatureField(
        instance,
        algorithm,
        headerCanon,
        bodyCanon,
        domain,
        selector,
        List.copyOf(signed),
        bodyHash,
        signature,
        bodyLength,
        timestamp,
        expiry,
        raw);
  }

  /** RFC 5322 §3.6.8 field-name: printable ASCII except the colon. */
  private static boolean isFieldName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x21 || c > 0x7e || c == ':') {
        return false;
      }
    }
    return true;
  }

  private static String shorten(String text) {
    return ArcTags.shorten(text);
  }
}
