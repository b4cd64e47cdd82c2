package org.authmill.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The signing of one message by one or more {@link DkimSigner}s (RFC 6376 §5), fed like a {@link
 * DkimVerifyStream}: raw header fields, {@link #endOfHeaders()}, body chunks split anywhere, then
 * {@link #finish()}, which returns the DKIM-Signature fields to prepend, in signer order. Each
 * distinct body canonicalization is computed and hashed once, whatever the number of signers.
 * Memory does not grow with the body. Not thread-safe.
 */
public final class DkimSignStream {
  /** The header section kept per message, in octets. */
  public static final int MAX_HEADER_BYTES = 1024 * 1024;

  /** Header fields kept per message. */
  public static final int MAX_HEADER_FIELDS = 2000;

  private static final int LINE = 78;

  private final List<DkimSigner> signers;
  private final HeaderStore headers = new HeaderStore(MAX_HEADER_BYTES, MAX_HEADER_FIELDS);
  private final Map<Canonicalization, BodyCanonicalizer> bodies =
      new EnumMap<>(Canonicalization.class);
  private BodyCanonicalizer[] bodyArray;
  private int state; // 0 headers, 1 body, 2 finished

  private DkimSignStream(List<DkimSigner> signers) {
    this.signers = List.copyOf(signers);
    if (this.signers.isEmpty()) {
      throw new IllegalArgumentException("no signers");
    }
    for (DkimSigner signer : this.signers) {
      bodies.computeIfAbsent(signer.bodyCanon, BodyCanonicalizer::of).sink(-1);
    }
    bodyArray = bodies.values().toArray(new BodyCanonicalizer[0]);
  }

  /** Starts signing one message with each of these signers. */
  public static DkimSignStream of(List<DkimSigner> signers) {
    return new DkimSignStream(signers);
  }

  /**
   * Signs a whole message read from a stream (CRLF line ends), blocking the caller; the stream is
   * not closed.
   */
  public static List<DkimSignatureField> sign(List<DkimSigner> signers, InputStream message)
      throws IOException {
    DkimSignStream signing = of(signers);
    MessageSink.feed(
        message,
        new MessageSink() {
          @Override
          public void header(byte[] field, int offset, int length) {
            signing.header(field, offset, length);
          }

          @Override
          public void endOfHeaders() {
            signing.endOfHeaders();
          }

          @Override
          public void body(byte[] bytes, int offset, int length) {
            signing.body(bytes, offset, length);
          }
        },
        MAX_HEADER_BYTES);
    return signing.finish();
  }

  /** Adds one raw header field. */
  public void header(byte[] field) {
    header(field, 0, field.length);
  }

  /** Adds one raw header field from part of an array. */
  public void header(byte[] field, int offset, int length) {
    if (state != 0) {
      throw new IllegalStateException("header() after the end of the header section");
    }
    headers.add(field, offset, length);
  }

  /**
   * Ends the header section. Throws {@link IllegalArgumentException} for a message that cannot be
   * signed: no From field (RFC 6376 §5.4), or a header section over the limits.
   */
  public void endOfHeaders() {
    if (state != 0) {
      throw new IllegalStateException("endOfHeaders() called twice");
    }
    if (headers.overflow()) {
      throw new IllegalArgumentException(
          "the header section is larger than "
              + MAX_HEADER_BYTES
              + " octets or "
              + MAX_HEADER_FIELDS
              + " fields");
    }
    if (headers.count("from") == 0) {
      throw new IllegalArgumentException(
          "the message has no From header field, which DKIM must sign (RFC 6376 §5.4)");
    }
    state = 1;
  }

  /** Adds a chunk of the body, in wire form (CRLF line ends). */
  public void body(byte[] bytes, int offset, int length) {
    if (state == 0) {
      endOfHeaders();
    }
    if (state != 1) {
      throw new IllegalStateException("body() after finish()");
    }
    for (BodyCanonicalizer body : bodyArray) {
      body.update(bytes, offset, length);
    }
  }

  /** Adds a whole array as a body chunk. */
  public void body(byte[] bytes) {
    body(bytes, 0, bytes.length);
  }

  /** Adds the remaining bytes of a buffer as a body chunk, consuming them. */
  public void body(ByteBuffer chunk) {
    if (state == 0) {
      endOfHeaders();
    }
    if (state != 1) {
      throw new IllegalStateException("body() after finish()");
    }
    for (int i = 0; i < bodyArray.length; i++) {
      bodyArray[i].update(i == bodyArray.length - 1 ? chunk : chunk.duplicate());
    }
  }

  /** Ends the message and returns one DKIM-Signature field per signer, in signer order. */
  public List<DkimSignatureField> finish() {
    if (state == 0) {
      endOfHeaders();
    }
    if (state != 1) {
      throw new IllegalStateException("finish() called twice");
    }
    state = 2;
    for (BodyCanonicalizer body : bodyArray) {
      body.finish();
    }
    HeaderCanonicalizer canonicalizer = new HeaderCanonicalizer();
    List<DkimSignatureField> fields = new ArrayList<>(signers.size());
    for (DkimSigner signer : signers) {
      fields.add(sign(signer, canonicalizer));
    }
    return fields;
  }

  private DkimSignatureField sign(DkimSigner signer, HeaderCanonicalizer canonicalizer) {
    BodyHashSink body = bodies.get(signer.bodyCanon).sink(-1);
    List<String> signed = new ArrayList<>();
    List<String> signedLower = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    for (String name : signer.headers) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (int n = headers.count(lower); n > 0; n--) {
        signed.add(name);
        signedLower.add(lower);
      }
      // never DKIM-Signature: the extra instance would name the new signature itself
      if (signer.oversign.contains(lower) && !lower.equals(ParsedSignature.FIELD_NAME)) {
        extra.add(name);
      }
    }
    for (String name : extra) {
      signed.add(name);
      signedLower.add(name.toLowerCase(Locale.ROOT));
    }
    long now = signer.clock.instant().getEpochSecond();
    List<String> tags = new ArrayList<>();
    tags.add("v=1");
    tags.add("a=" + signer.algorithm.tag());
    tags.add("c=" + signer.headerCanon.tag() + "/" + signer.bodyCanon.tag());
    tags.add("d=" + signer.domain);
    if (signer.identity != null) {
      tags.add("i=" + TagList.encodeQuotedPrintable(signer.identity));
    }
    if (signer.queryMethod) {
      tags.add("q=dns/txt");
    }
    tags.add("s=" + signer.selector);
    if (signer.timestamp) {
      tags.add("t=" + now);
    }
    if (signer.expiry != null) {
      tags.add("x=" + (now + signer.expiry.getSeconds()));
    }
    if (signer.bodyLength) {
      tags.add("l=" + body.length());
    }
    String bh = Base64.getEncoder().encodeToString(body.hash());
    StringBuilder text = new StringBuilder(DkimSignatureField.NAME).append(':');
    int column = text.length();
    for (String tag : tags) {
      column = append(text, column, tag + ";", true);
    }
    column = appendHeaderList(text, column, signed, signer.spacedHeaderList);
    column = append(text, column, "bh=" + bh + ";", true);
    column = append(text, column, "b=", true);
    byte[] unsigned = text.toString().getBytes(StandardCharsets.ISO_8859_1);

    MessageDigest digest = Crypto.sha256();
    for (byte[] field : headers.select(signedLower)) {
      canonicalizer.update(digest, signer.headerCanon, field, false);
    }
    canonicalizer.update(digest, signer.headerCanon, unsigned, true);
    String b = Base64.getEncoder().encodeToString(signer.key.sign(digest.digest()));
    int room = Math.max(LINE - column, 8);
    int pos = Math.min(room, b.length());
    text.append(b, 0, pos);
    while (pos < b.length()) {
      int next = Math.min(pos + LINE - 8, b.length());
      text.append("\r\n\t").append(b, pos, next);
      pos = next;
    }
    return new DkimSignatureField(text.substring(DkimSignatureField.NAME.length() + 2));
  }

  /** Appends a piece after a space, or after a fold (CRLF TAB) when the line would be too long. */
  private static int append(StringBuilder text, int column, String piece, boolean space) {
    if (column + 1 + piece.length() > LINE) {
      text.append("\r\n\t");
      column = 8;
    } else if (space) {
      text.append(' ');
      column++;
    }
    text.append(piece);
    return column + piece.length();
  }

  private static int appendHeaderList(
      StringBuilder text, int column, List<String> names, boolean spaced) {
    String first = "h=" + names.get(0) + (names.size() == 1 ? ";" : "");
    column = append(text, column, first, true);
    for (int i = 1; i < names.size(); i++) {
      String item = names.get(i) + (i == names.size() - 1 ? ";" : "");
      if (spaced) {
        // "a : b": a fold replaces the space after the colon, so relaxed form is unchanged
        text.append(" :");
        column = append(text, column + 2, item, true);
      } else {
        text.append(':');
        column = append(text, column + 1, item, false);
      }
    }
    return column;
  }
}
