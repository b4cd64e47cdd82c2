package org.authmill.dkim;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Header field canonicalization (RFC 6376 §3.4.1 simple, §3.4.2 relaxed) of raw header fields
 * ({@code Name:value} with their folding, without the final CRLF), written straight into a digest.
 * One instance per session: it reuses one scratch buffer.
 */
final class HeaderCanonicalizer {
  private static final byte[] CRLF = {'\r', '\n'};
  private byte[] scratch = new byte[1024];

  /** Feeds one field, canonicalized, with its terminating CRLF unless {@code last}. */
  void update(MessageDigest digest, Canonicalization canon, byte[] field, boolean last) {
    if (canon == Canonicalization.SIMPLE) {
      digest.update(field);
      if (!last) {
        digest.update(CRLF);
      }
    } else {
      int n = relaxed(field);
      if (!last) {
        scratch[n++] = '\r';
        scratch[n++] = '\n';
      }
      digest.update(scratch, 0, n);
    }
  }

  /**
   * Writes the relaxed form of the field into {@link #scratch}, which keeps room for two more
   * octets after it, and returns its length.
   */
  int relaxed(byte[] field) {
    // the relaxed form is at most one octet longer (a ':' added), then room for a CRLF
    if (scratch.length < field.length + 3) {
      scratch = new byte[Math.max(field.length + 3, scratch.length * 2)];
    }
    byte[] out = scratch;
    int n = 0;
    int colon = indexOf(field, (byte) ':');
    int nameEnd = colon < 0 ? field.length : colon;
    // the name in lower case, without whitespace before the colon
    int trimmedNameEnd = nameEnd;
    while (trimmedNameEnd > 0 && isWsp(field[trimmedNameEnd - 1])) {
      trimmedNameEnd--;
    }
    for (int i = 0; i < trimmedNameEnd; i++) {
      byte c = field[i];
      out[n++] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }
    out[n++] = ':';
    if (colon < 0) {
      return n;
    }
    // the value unfolded, each whitespace run one space, none at either end
    boolean pendingSpace = false;
    boolean started = false;
    for (int i = colon + 1; i < field.length; i++) {
      byte c = field[i];
      if (c == '\r' || c == '\n') {
        continue;
      }
      if (isWsp(c)) {
        pendingSpace = started;
        continue;
      }
      if (pendingSpace) {
        out[n++] = ' ';
        pendingSpace = false;
      }
      out[n++] = c;
      started = true;
    }
    return n;
  }

  /** The relaxed form as a new array, for tests and key lookups. */
  byte[] relaxedCopy(byte[] field) {
    int n = relaxed(field);
    return Arrays.copyOf(scratch, n);
  }

  /**
   * The field with the value of its {@code b=} tag deleted (RFC 6376 §3.7: "the value of the b= tag
   * (including all surrounding whitespace) deleted"), keeping everything else byte for byte.
   */
  static byte[] withoutSignatureValue(byte[] field) {
    int colon = indexOf(field, (byte) ':');
    int start = colon + 1;
    while (start <= field.length) {
      int end = start;
      while (end < field.length && field[end] != ';') {
        end++;
      }
      int equals = start;
      while (equals < end && field[equals] != '=') {
        equals++;
      }
      if (equals < end) {
        int nameStart = start;
        while (nameStart < equals && isFws(field[nameStart])) {
          nameStart++;
        }
        int nameEnd = equals;
        while (nameEnd > nameStart && isFws(field[nameEnd - 1])) {
          nameEnd--;
        }
        if (nameEnd - nameStart == 1 && field[nameStart] == 'b') {
          byte[] out = new byte[field.length - (end - equals - 1)];
          System.arraycopy(field, 0, out, 0, equals + 1);
          System.arraycopy(field, end, out, equals + 1, field.length - end);
          return out;
        }
      }
      start = end + 1;
    }
    return field;
  }

  static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isWsp(byte c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isFws(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
