package org.authmill.dkim;

import java.util.Objects;

/**
 * A DKIM-Signature header field made by {@link DkimSignStream} (RFC 6376 §3.5), to prepend to the
 * message. The signed text is exactly {@code "DKIM-Signature: " + value}: an MTA or milter that
 * inserts it must write it that way (folding lines end in CRLF followed by a TAB).
 *
 * @param value the field value, starting with {@code v=1;}, folded with CRLF TAB
 */
public record DkimSignatureField(String value) {
  /** The field name. */
  public static final String NAME = "DKIM-Signature";

  public DkimSignatureField {
    Objects.requireNonNull(value, "value");
    if (!value.startsWith("v=1;")) {
      throw new IllegalArgumentException("a DKIM-Signature value starts with v=1;");
    }
  }

  /** The whole field, {@code DKIM-Signature: value}, folded with CRLF, without a final CRLF. */
  public String field() {
    return NAME + ": " + value;
  }

  /** The whole field with the given line break in place of CRLF (e.g. "\n" for LF files). */
  public String field(String lineBreak) {
    return field().replace("\r\n", lineBreak);
  }
}
