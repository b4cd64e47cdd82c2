package org.authmill.milter.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A message cut as an MTA passes it to a milter: header fields (name, value after the colon with
 * its whitespace, folded lines joined by a bare LF) and the body bytes after the empty line (RFC
 * 5322 §2.1). Strings hold one octet per char (ISO-8859-1).
 */
public record MilterMessage(List<Field> headers, byte[] body) {

  /** One header field. */
  public record Field(String name, String value) {
    /** Validates. */
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Validates and copies. */
  public MilterMessage {
    headers = List.copyOf(headers);
    body = body.clone();
  }

  /** The body bytes (a copy). */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /**
   * Cuts an RFC 5322 message (CRLF or bare LF line ends; bare LF is turned into CRLF in the body,
   * as Postfix does when it queues a message).
   */
  public static MilterMessage parse(byte[] message) {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    List<Field> fields = new ArrayList<>();
    int pos = 0;
    String name = null;
    StringBuilder value = null;
    while (pos < text.length()) {
      int eol = text.indexOf('\n', pos);
      int next = eol < 0 ? text.length() : eol + 1;
      String line = text.substring(pos, eol < 0 ? text.length() : eol);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        pos = next;
        break;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
        value.append('\n').append(line);
      } else {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          // Not a header field: the header section ended without an empty line.
          break;
        }
        if (name != null) {
          fields.add(new Field(name, value.toString()));
        }
        name = line.substring(0, colon).stripTrailing();
        value = new StringBuilder(line.substring(colon + 1));
      }
      pos = next;
    }
    if (name != null) {
      fields.add(new Field(name, value.toString()));
    }
    byte[] rest = Arrays.copyOfRange(message, Math.min(pos, message.length), message.length);
    return new MilterMessage(fields, toCrlf(rest));
  }

  private static byte[] toCrlf(byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length + 64);
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r')) {
        out.write('\r');
      }
      out.write(body[i]);
    }
    return out.toByteArray();
  }
}
