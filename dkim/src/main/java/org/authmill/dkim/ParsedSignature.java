package org.authmill.dkim;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.authmill.dns.DomainName;
import org.authmill.dns.Excerpt;

/**
 * One DKIM-Signature header field, parsed and checked as RFC 6376 §6.1.1 says. A signature that
 * fails a check carries its {@link #problem()} result and reason instead of throwing.
 */
final class ParsedSignature {
  static final String FIELD_NAME = "dkim-signature";

  final byte[] rawField;
  String domain = "";
  String selector = "";
  String algorithmTag = "";
  String identity = "";
  String signatureData = "";
  SignatureAlgorithm algorithm;
  Canonicalization headerCanon = Canonicalization.SIMPLE;
  Canonicalization bodyCanon = Canonicalization.SIMPLE;
  List<String> signedHeaders = List.of();
  byte[] bodyHash;
  byte[] signature;
  long bodyLength = -1;
  long timestamp = -1;
  long expiry = -1;
  DkimResult problem;
  String problemReason;

  private ParsedSignature(byte[] rawField) {
    this.rawField = rawField;
  }

  /** Parses the raw field {@code DKIM-Signature:value} (no trailing CRLF). */
  static ParsedSignature parse(byte[] rawField) {
    ParsedSignature sig = new ParsedSignature(rawField);
    String field = new String(rawField, StandardCharsets.ISO_8859_1);
    int colon = field.indexOf(':');
    TagList tags;
    try {
      tags = TagList.parse(field.substring(colon + 1));
    } catch (TagList.SyntaxException e) {
      return sig.fail(DkimResult.PERMERROR, "malformed signature: " + e.getMessage());
    }
    // Take what the report needs first, so that even a broken signature says whose it is.
    String d = tags.get("d");
    String s = tags.get("s");
    String a = tags.get("a");
    String b = tags.get("b");
    if (d != null) {
      sig.domain = asciiName(d);
    }
    if (s != null) {
      sig.selector = asciiName(s);
    }
    if (a != null) {
      sig.algorithmTag = TagList.stripWhitespace(a);
    }
    if (b != null) {
      sig.signatureData = TagList.stripWhitespace(b);
    }
    return sig.check(tags);
  }

  private ParsedSignature check(TagList tags) {
    String v = tags.get("v");
    if (v == null) {
      return fail(DkimResult.PERMERROR, "signature has no v= tag");
    }
    if (!v.equals("1")) {
      return fail(DkimResult.PERMERROR, "incompatible signature version v=" + v + " (expected 1)");
    }
    for (String required : List.of("a", "b", "bh", "d", "h", "s")) {
      if (!tags.has(required)) {
        return fail(DkimResult.PERMERROR, "signature has no " + required + "= tag");
      }
    }
    if (algorithmTag.equals("rsa-sha1")) {
      return fail(
          DkimResult.FAIL, "rsa-sha1 signatures are not accepted (RFC 8301 §3.1: use rsa-sha256)");
    }
    algorithm = SignatureAlgorithm.fromTag(algorithmTag).orElse(null);
    if (algorithm == null) {
      return fail(DkimResult.PERMERROR, "unsupported signature algorithm a=" + algorithmTag);
    }
    if (!isAsciiName(domain)) {
      return fail(DkimResult.PERMERROR, "invalid signing domain d=" + Excerpt.of(domain));
    }
    if (!isAsciiName(selector)) {
      return fail(DkimResult.PERMERROR, "invalid selector s=" + Excerpt.of(selector));
    }
    signature = TagList.strictBase64(tags.get("b"));
    if (signature == null || signature.length == 0) {
      return fail(DkimResult.PERMERROR, "b= is empty or not valid base64 (RFC 6376 §2.4)");
    }
    bodyHash = TagList.strictBase64(tags.get("bh"));
    if (bodyHash == null || bodyHash.length == 0) {
      return fail(DkimResult.PERMERROR, "bh= is empty or not valid base64 (RFC 6376 §2.4)");
    }
    String c = tags.get("c");
    if (c != null) {
      c = TagList.stripWhitespace(c);
      int slash = c.indexOf('/');
      String headerPart = slash < 0 ? c : c.substring(0, slash);
      String bodyPart = slash < 0 ? "simple" : c.substring(slash + 1);
      headerCanon = Canonicalization.fromTag(headerPart).orElse(null);
      bodyCanon = Canonicalization.fromTag(bodyPart).orElse(null);
      if (headerCanon == null || bodyCanon == null) {
        return fail(DkimResult.PERMERROR, "unknown canonicalization c=" + Excerpt.of(c));
      }
    }
    String q = tags.get("q");
    if (q != null && !TagList.colonList(q).contains("dns/txt")) {
      return fail(DkimResult.PERMERROR, "unsupported query method q=" + Excerpt.of(q));
    }
    List<String> h = TagList.colonList(tags.get("h"));
    for (String name : h) {
      if (name.isEmpty() || name.indexOf(' ') >= 0) {
        return fail(DkimResult.PERMERROR, "malformed header list h=");
      }
    }
    String[] lower = new String[h.size()];
    for (int k = 0; k < lower.length; k++) {
      lower[k] = h.get(k).toLowerCase(Locale.ROOT);
    }
    signedHeaders = List.of(lower);
    if (!signedHeaders.contains("from")) {
      return fail(DkimResult.PERMERROR, "From is not signed (h= must include From, RFC 6376 §5.4)");
    }
    String i = tags.get("i");
    if (i == null) {
      identity = "@" + domain;
    } else {
      // RFC 6376 §3.5: i= is dkim-quoted-printable (§2.11)
      identity = TagList.quotedPrintable(i);
      if (identity == null) {
        identity = TagList.stripWhitespace(i);
        return fail(
            DkimResult.PERMERROR,
            "i=" + Excerpt.of(identity) + " is not valid dkim-quoted-printable (RFC 6376 §2.11)");
      }
      int at = identity.lastIndexOf('@');
      if (at < 0) {
        return fail(DkimResult.PERMERROR, "i=" + Excerpt.of(identity) + " has no '@'");
      }
      if (!isWithin(identity.substring(at + 1), domain)) {
        return fail(
            DkimResult.PERMERROR,
            "identity i=" + Excerpt.of(identity) + " is not within d=" + domain);
      }
    }
    String l = tags.get("l");
    if (l != null) {
      bodyLength = digits(l, 76);
      if (bodyLength < 0) {
        return fail(DkimResult.PERMERROR, "malformed body length l=" + Excerpt.of(l));
      }
    }
    String t = tags.get("t");
    if (t != null) {
      timestamp = digits(t, 12);
      if (timestamp < 0) {
        return fail(DkimResult.PERMERROR, "malformed timestamp t=" + Excerpt.of(t));
      }
    }
    String x = tags.get("x");
    if (x != null) {
      expiry = digits(x, 12);
      if (expiry < 0) {
        return fail(DkimResult.PERMERROR, "malformed expiration x=" + Excerpt.of(x));
      }
      if (timestamp >= 0 && expiry <= timestamp) {
        return fail(
            DkimResult.PERMERROR,
            "expiration x=" + expiry + " is not after the timestamp t=" + timestamp);
      }
    }
    return this;
  }

  /**
   * A d= or s= value in lower case, with U-labels (UTF-8 octets, RFC 8616 §4) as A-labels; the raw
   * value when it cannot be converted (the syntax check then reports it).
   */
  private static String asciiName(String value) {
    String raw = TagList.stripWhitespace(value);
    return name(TagList.utf8(raw)).map(DomainName::toString).orElse(raw).toLowerCase(Locale.ROOT);
  }

  /** The domain of the identity (i=, decoded), as A-labels; empty if it has none. */
  String identityDomain() {
    return name(identity.substring(identity.lastIndexOf('@') + 1))
        .map(DomainName::toString)
        .orElse("");
  }

  /**
   * A d=, s= or i= domain as a name (RFC 6376 §3.5: a host name, without the root's trailing dot;
   * RFC 8616 §4: U-labels become A-labels), or empty when it is not one.
   */
  static Optional<DomainName> name(String text) {
    if (text.endsWith(".") || !text.equals(text.strip())) {
      return Optional.empty();
    }
    return DomainName.parse(text).value();
  }

  /** True for a d= or s= already in the form it is looked up in: a name, ASCII, as written. */
  static boolean isAsciiName(String text) {
    return name(text).map(n -> n.toString().equals(text)).orElse(false);
  }

  /**
   * True when the identity's domain (RFC 6376 §3.5 i=) is a name equal to or below the signing
   * domain {@code domain}, ignoring case.
   */
  static boolean isWithin(String identityDomain, String domain) {
    Optional<DomainName> within = name(identityDomain);
    Optional<DomainName> signing = name(domain);
    return within.isPresent() && signing.isPresent() && within.get().isAtOrBelow(signing.get());
  }

  /** A decimal number of 1 to {@code maxDigits} digits, capped at Long.MAX_VALUE, or -1. */
  private static long digits(String value, int maxDigits) {
    String v = TagList.stripWhitespace(value);
    if (v.isEmpty() || v.length() > maxDigits) {
      return -1;
    }
    for (int k = 0; k < v.length(); k++) {
      if (v.charAt(k) < '0' || v.charAt(k) > '9') {
        return -1;
      }
    }
    if (v.length() <= 18) {
      return Long.parseLong(v);
    }
    BigInteger n = new BigInteger(v);
    return n.bitLength() < 63 ? n.longValue() : Long.MAX_VALUE;
  }

  private ParsedSignature fail(DkimResult result, String reason) {
    problem = result;
    problemReason = reason;
    return this;
  }

  /** The name the key record is published at (RFC 6376 §3.6.2.1). */
  String keyName() {
    return selector + "._domainkey." + domain;
  }
}
