package org.authmill.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The three steps in which a message is fed to a verification or a signing session (RFC 5322 §2.1:
 * a header section, an empty line, a body), and the reader that drives them from a whole message on
 * a stream. Each header field is given as received, without its final line break; body chunks may
 * split anywhere.
 */
public interface MessageSink {
  /** Reads body chunks of this size from a stream. */
  int CHUNK = 64 * 1024;

  /** One header field, {@code Name:value} with its folding, without the final CRLF. */
  void header(byte[] field, int offset, int length);

  /** The empty line that ends the header section. */
  void endOfHeaders();

  /** A chunk of the body. */
  void body(byte[] bytes, int offset, int length);

  /**
   * Splits a message (CRLF line ends) into header fields, then feeds the body in chunks. Header
   * fields longer than {@code maxFieldBytes} are an input error.
   *
   * @throws IOException if reading fails or a field is longer than {@code maxFieldBytes}
   */
  static void feed(InputStream in, MessageSink sink, int maxFieldBytes) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    int length = 0;
    int position = 0;
    byte[] field = new byte[2048];
    int fieldLength = 0;
    boolean inHeaders = true;
    boolean lineStart = true;
    // Header section: byte by byte over a buffer; a field ends at a line end not followed by WSP.
    while (inHeaders) {
      if (position == length) {
        length = in.read(buffer);
        position = 0;
        if (length < 0) {
          if (fieldLength > 0) {
            sink.header(field, 0, stripLineEnd(field, fieldLength));
          }
          sink.endOfHeaders();
          return;
        }
        continue;
      }
      byte c = buffer[position];
      if (lineStart) {
        if (c == ' ' || c == '\t') {
          lineStart = false; // a continuation line: stays in the current field
        } else if (c == '\r' || c == '\n') {
          // an empty line ends the headers, if it is one: CRLF, or a bare LF
          if (fieldLength > 0) {
            sink.header(field, 0, stripLineEnd(field, fieldLength));
            fieldLength = 0;
          }
          if (c == '\n') {
            position++;
            inHeaders = false;
            continue;
          }
          // CR: need the next octet
          position++;
          if (position == length) {
            length = in.read(buffer);
            position = 0;
            if (length < 0) {
              sink.endOfHeaders();
              return;
            }
          }
          if (buffer[position] == '\n') {
            position++;
          }
          inHeaders = false;
          continue;
        } else {
          if (fieldLength > 0) {
            sink.header(field, 0, stripLineEnd(field, fieldLength));
            fieldLength = 0;
          }
          lineStart = false;
        }
      }
      if (fieldLength == field.length) {
        if (field.length >= maxFieldBytes) {
          throw new IOException("a header field is longer than " + maxFieldBytes + " octets");
        }
        field = Arrays.copyOf(field, Math.min(maxFieldBytes, field.length * 2));
      }
      field[fieldLength++] = c;
      position++;
      if (c == '\n') {
        lineStart = true;
      }
    }
    sink.endOfHeaders();
    if (position < length) {
      sink.body(buffer, position, length - position);
    }
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (n > 0) {
        sink.body(buffer, 0, n);
      }
    }
  }

  private static int stripLineEnd(byte[] field, int length) {
    int n = length;
    if (n > 0 && field[n - 1] == '\n') {
      n--;
      if (n > 0 && field[n - 1] == '\r') {
        n--;
      }
    }
    return n;
  }
}
