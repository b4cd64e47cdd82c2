package org.authmill.arc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.authmill.auth.results.AuthenticationResults;
import org.authmill.dkim.Canonicalization;
import org.authmill.dkim.DkimPrimitives;
import org.authmill.dkim.MessageSink;

/**
 * The sealing of one message by an {@link ArcSealer} (RFC 8617 §5.1), fed like an {@link
 * ArcVerifyStream}: raw header fields, {@link #endOfHeaders()}, body chunks, {@link #finish()}. The
 * existing chain is verified on the way (one pass over the body serves the verification and the new
 * ARC-Message-Signature's body hash). Not thread-safe.
 */
public final class ArcSealStream {
  private static final int LINE = 78;
  private static final Pattern ARC_RESULT = Pattern.compile("(?i)^arc\\s*=");

  private final ArcSealer sealer;
  private final ArcVerifyStream verification;
  private DkimPrimitives.BodyHash body;
  private java.util.function.Function<ArcOutcome, String> results;
  private ArcCv arrival;
  private List<byte[]> top = List.of();

  ArcSealStream(ArcSealer sealer, ArcVerifyStream verification) {
    this.sealer = sealer;
    this.verification = verification;
  }

  /** Adds one raw header field. */
  public void header(byte[] field) {
    verification.header(field);
  }

  /** Adds one raw header field from part of an array. */
  public void header(byte[] field, int offset, int length) {
    verification.header(field, offset, length);
  }

  /**
   * The Authentication-Results payload to record (the results after the authserv-id, such as {@code
   * spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org}), when the caller has it
   * rather than the message's header fields (a filter that has not added its field yet). Without
   * it, the message's Authentication-Results fields of the sealer's authserv-id are merged.
   */
  public void authenticationResults(String resultsAfterAuthservId) {
    java.util.Objects.requireNonNull(resultsAfterAuthservId, "resultsAfterAuthservId");
    this.results = chain -> resultsAfterAuthservId;
  }

  /**
   * As {@link #authenticationResults(String)}, computed once the received chain is verified: a
   * filter writes its own Authentication-Results, with the {@code arc} result and any DMARC
   * override, from the verification, and the ARC-Authentication-Results records the same.
   */
  public void authenticationResults(
      java.util.function.Function<ArcOutcome, String> resultsAfterAuthservId) {
    this.results =
        java.util.Objects.requireNonNull(resultsAfterAuthservId, "resultsAfterAuthservId");
  }

  /**
   * The chain status found when the message arrived, before this host changed it (a mailing list
   * that adds a footer or a subject tag verifies on arrival and seals after its changes): the new
   * seal records it instead of the status of the message as now fed, and covers the whole chain
   * unless it is {@code fail}. Without it, the chain is verified on the message as fed.
   */
  public void chainValidatedOnArrival(ArcCv cv) {
    this.arrival = java.util.Objects.requireNonNull(cv, "cv");
  }

  /**
   * Header fields this host puts on top of the message, under the new set, that are known only at
   * the end: the DKIM-Signature fields of outbound mail signed in the same pass (RFC 8617 §5.1
   * seals the message as it leaves, so the new ARC-Message-Signature covers them). Given top to
   * bottom as whole fields ({@code Name: value}, CRLF folding), before {@link #finish()}; the
   * verification of the received chain does not see them (they are newer than every set in it).
   */
  public void fieldsOnTop(List<byte[]> fields) {
    this.top = List.copyOf(fields);
  }

  /** Ends the header section. */
  public void endOfHeaders() {
    verification.endOfHeaders();
    body = verification.bodyHash(Canonicalization.RELAXED, -1);
  }

  /** Adds a chunk of the body, in wire form. */
  public void body(byte[] bytes, int offset, int length) {
    ensureBody();
    verification.body(bytes, offset, length);
  }

  /** Adds a whole array as a body chunk. */
  public void body(byte[] bytes) {
    body(bytes, 0, bytes.length);
  }

  /** Adds the remaining bytes of a buffer as a body chunk, consuming them. */
  public void body(ByteBuffer chunk) {
    ensureBody();
    verification.body(chunk);
  }

  private void ensureBody() {
    if (body == null) {
      endOfHeaders();
    }
  }

  /** Ends the message; completes with the new set, or none and why. Never exceptionally. */
  public CompletionStage<ArcSealOutcome> finish() {
    ensureBody();
    return verification.finish().thenApply(this::seal);
  }

  MessageSink sink() {
    return new MessageSink() {
      @Override
      public void header(byte[] field, int offset, int length) {
        ArcSealStream.this.header(field, offset, length);
      }

      @Override
      public void endOfHeaders() {
        ArcSealStream.this.endOfHeaders();
      }

      @Override
      public void body(byte[] bytes, int offset, int length) {
        ArcSealStream.this.body(bytes, offset, length);
      }
    };
  }

  private ArcSealOutcome seal(ArcOutcome outcome) {
    ArcChain chain = verification.chain();
    if (chain == null) {
      return new ArcSealOutcome(outcome, Optional.empty(), "not sealed: " + outcome.reason());
    }
    if (chain.newestSealFailed) {
      return new ArcSealOutcome(
          outcome,
          Optional.empty(),
          "not sealed: the newest ARC-Seal already records cv=fail, and RFC 8617 §5.1 adds no"
              + " set to such a chain");
    }
    int instance = chain.highestInstance + 1;
    if (instance > ArcTags.MAX_INSTANCE) {
      return new ArcSealOutcome(
          outcome,
          Optional.empty(),
          "not sealed: the chain already has "
              + chain.highestInstance
              + " sets, and RFC 8617 §4.2.1 allows at most 50");
    }
    ArcCv cv = arrival != null ? arrival : outcome.cv();
    if (cv == ArcCv.NONE && chain.highestInstance > 0) {
      cv = ArcCv.FAIL; // a chain that arrived with sets cannot be sealed as "none"
    }
    long now = sealer.clock().instant().getEpochSecond();
    String algorithm = sealer.key().algorithm().tag();
    HeaderList headers =
        top.isEmpty() ? verification.headers() : verification.headers().withTop(top);

    String aar =
        "ARC-Authentication-Results: "
            + fold("i=" + instance, resultsPayload(headers, cv, outcome));

    List<String> signed = signedHeaders(headers);
    byte[] bodyHash = body.finish();
    List<String> amsTags =
        List.of(
            "a=" + algorithm,
            "b=",
            "bh=" + Base64.getEncoder().encodeToString(bodyHash),
            "c=relaxed/relaxed",
            "d=" + sealer.domain(),
            "h=" + String.join(":", signed),
            "i=" + instance,
            "s=" + sealer.selector(),
            "t=" + now);
    String amsName = "ARC-Message-Signature";
    MessageDigest digest = DkimPrimitives.sha256();
    for (byte[] field : headers.select(signed)) {
      DkimPrimitives.hashHeader(digest, Canonicalization.RELAXED, field, false);
    }
    DkimPrimitives.hashHeader(
        digest, Canonicalization.RELAXED, bytes(format(amsName, amsTags, "")), true);
    String amsSignature =
        Base64.getEncoder().encodeToString(DkimPrimitives.sign(sealer.key(), digest.digest()));
    String ams = format(amsName, amsTags, amsSignature);

    List<String> asTags =
        List.of(
            "a=" + algorithm,
            "b=",
            "cv=" + cv.tag(),
            "d=" + sealer.domain(),
            "i=" + instance,
            "s=" + sealer.selector(),
            "t=" + now);
    String asName = "ARC-Seal";
    byte[][] extra = {bytes(aar), bytes(ams), bytes(format(asName, asTags, ""))};
    // RFC 8617 §5.1.2: on a failed chain the seal covers only the new set
    byte[] sealHash = ArcVerifyStream.sealHash(chain, cv == ArcCv.FAIL ? 0 : chain.size(), extra);
    String seal =
        format(
            asName,
            asTags,
            Base64.getEncoder().encodeToString(DkimPrimitives.sign(sealer.key(), sealHash)));
    String reason =
        "sealed as instance "
            + instance
            + " with cv="
            + cv.tag()
            + (cv == ArcCv.FAIL ? " (the seal covers only the new set, RFC 8617 §5.1.2)" : "")
            + ": "
            + outcome.reason();
    return new ArcSealOutcome(outcome, Optional.of(new ArcSet(instance, seal, ams, aar)), reason);
  }

  /** The h= list: the configured names, or the default names once per instance present. */
  private List<String> signedHeaders(HeaderList headers) {
    if (!sealer.onlyPresent()) {
      return sealer.headers();
    }
    List<String> out = new ArrayList<>();
    for (String name : sealer.headers()) {
      for (int i = 0; i < headers.size(); i++) {
        if (headers.name(i).equals(name)) {
          out.add(name);
        }
      }
    }
    if (out.isEmpty()) {
      out.add("from");
    }
    return out;
  }

  /**
   * The results the ARC-Authentication-Results records (RFC 8617 §4.1.1): the given payload, or
   * those of every Authentication-Results field of the sealer's authserv-id that parses (RFC 8601
   * §2.2; a malformed one is left out rather than sealed), in order, joined; with an {@code arc=}
   * result first when none of them has one (§5.1: the AAR records the chain status this sealer
   * found).
   */
  private String resultsPayload(HeaderList headers, ArcCv cv, ArcOutcome outcome) {
    List<String> parts = new ArrayList<>();
    if (results != null) {
      String r = clean(results.apply(outcome));
      if (!r.isEmpty()) {
        parts.add(r);
      }
    } else {
      for (int i = 0; i < headers.size(); i++) {
        if (!headers.name(i).equals("authentication-results")) {
          continue;
        }
        String value = text(headers.field(i));
        value = value.substring(value.indexOf(':') + 1);
        if (!AuthenticationResults.claims(value, sealer.authservId())) {
          continue;
        }
        if (AuthenticationResults.parse(value).value().isEmpty()) {
          continue; // not RFC 8601 syntax: never copied into a field this sealer signs
        }
        int semicolon = value.indexOf(';');
        String rest = semicolon < 0 ? "" : clean(value.substring(semicolon + 1));
        if (!rest.isEmpty() && !rest.equalsIgnoreCase("none")) {
          parts.add(rest);
        }
      }
    }
    boolean hasArc = false;
    for (String part : parts) {
      for (String each : part.split(";")) {
        hasArc |= ARC_RESULT.matcher(each.strip()).find();
      }
    }
    if (!hasArc) {
      parts.add(0, "arc=" + cv.tag());
    }
    return sealer.authservId() + "; " + String.join("; ", parts);
  }

  /** Unfolded, white space runs made one space, without leading/trailing space or semicolons. */
  private static String clean(String text) {
    String s =
        text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replaceAll("[ \t]+", " ");
    s = s.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  /** The AAR value, "i=N; " then the payload, folded at the semicolons where lines grow long. */
  private static String fold(String first, String payload) {
    StringBuilder out = new StringBuilder(first).append(';');
    int column = "ARC-Authentication-Results: ".length() + out.length();
    String[] parts = payload.split("; ");
    for (int k = 0; k < parts.length; k++) {
      String piece = parts[k] + (k < parts.length - 1 ? ";" : "");
      if (column + 1 + piece.length() > LINE) {
        out.append("\r\n\t");
        column = 8;
      } else {
        out.append(' ');
        column++;
      }
      out.append(piece);
      column += piece.length();
    }
    return out.toString();
  }

  /**
   * A signature field: the tags in order, separated by "; ", folded before a tag that would pass
   * the line width. The {@code b=} value is never folded inside: relaxed canonicalization turns a
   * fold into a space, so a folded ARC-Message-Signature {@code b=} would enter the ARC-Seal's hash
   * with spaces in it. That is valid, but unlike the suite's reference signer (and dkimpy's
   * standardized output), whose expected seals then could not be reproduced.
   */
  private static String format(String name, List<String> tags, String signature) {
    StringBuilder out = new StringBuilder(name).append(':');
    int column = out.length();
    for (int k = 0; k < tags.size(); k++) {
      String tag = tags.get(k);
      String end = k < tags.size() - 1 ? ";" : "";
      if (tag.equals("b=")) {
        tag = "b=" + signature;
      }
      String piece = tag + end;
      if (column + 1 + piece.length() > LINE) {
        out.append("\r\n\t");
        column = 8;
      } else {
        out.append(' ');
        column++;
      }
      out.append(piece);
      column += piece.length();
    }
    return out.toString();
  }

  private static byte[] bytes(String field) {
    return field.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] field) {
    return new String(field, StandardCharsets.UTF_8);
  }
}
