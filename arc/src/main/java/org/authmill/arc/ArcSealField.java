package org.authmill.arc;

import java.util.Map;
import org.authmill.dkim.SignatureAlgorithm;

/**
 * One ARC-Seal header field (RFC 8617 §4.1.3), parsed and checked: the tags {@code a}, {@code b},
 * {@code cv}, {@code d}, {@code i} and {@code s} are required, {@code t} is optional, unknown tags
 * are ignored, and an {@code h=} tag is an error (the seal's scope is fixed by §5.1.1).
 *
 * @param raw the field as received, {@code ARC-Seal:value} without the final CRLF
 */
record ArcSealField(
    int instance,
    ArcCv cv,
    SignatureAlgorithm algorithm,
    String domain,
    String selector,
    long timestamp,
    byte[] signature,
    byte[] raw) {
  static final String NAME = "arc-seal";

  /** Parses a raw field; throws naming the problem. */
  static ArcSealField parse(byte[] raw) throws ArcHeaderException {
    String what = "ARC-Seal";
    Map<String, String> tags = ArcTags.parse(what, ArcTags.value(raw));
    int instance = ArcTags.instance(what, ArcTags.require(what, tags, "i"));
    what = "ARC-Seal i=" + instance;
    if (tags.containsKey("h")) {
      throw new ArcHeaderException(
          what + " has an h= tag, which an ARC-Seal must not have (RFC 8617 §4.1.3)");
    }
    SignatureAlgorithm algorithm = ArcTags.algorithm(what, ArcTags.require(what, tags, "a"));
    String cvText = ArcTags.require(what, tags, "cv");
    ArcCv cv =
        ArcCv.fromTag(cvText.strip())
            .orElseThrow(
                () ->
                    new ArcHeaderException(
                        "ARC-Seal has an invalid cv="
                            + ArcTags.shorten(cvText)
                            + " (none, pass or fail)"));
    String domain = ArcTags.name("ARC-Seal i=" + instance, "d", ArcTags.require(what, tags, "d"));
    String selector = ArcTags.name(what, "s", ArcTags.require(what, tags, "s"));
    byte[] signature = ArcTags.base64(what, "b", ArcTags.require(what, tags, "b"));
    long timestamp = ArcTags.number(what, tags, "t");
    return new ArcSealField(instance, cv, algorithm, domain, selector, timestamp, signature, raw);
  }
}
