package org.authmill.feedback;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits an mbox file (RFC 4155) into messages: each starts at a line beginning with {@code "From
 * "}; the mboxrd/mboxo quoting {@code ">From "} is undone by one level. A message larger than
 * {@link #MAX_MESSAGE} bytes is refused.
 */
final class MboxReader {
  /** Most bytes one message may have. */
  static final int MAX_MESSAGE = 64 << 20;

  private final InputStream in;
  private byte[] pendingLine;
  private boolean eof;

  MboxReader(InputStream in) {
    this.in = in;
  }

  /** The next message, or null at the end. */
  InputStream next() throws IOException {
    byte[] line = pendingLine != null ? pendingLine : readLine();
    pendingLine = null;
    while (line != null && !isSeparator(line)) {
      line = readLine(); // text before the first separator
    }
    if (line == null) {
      return null;
    }
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    for (line = readLine(); line != null; line = readLine()) {
      if (isSeparator(line)) {
        pendingLine = line;
        break;
      }
      int skip = 0;
      if (line.length > 5 && line[0] == '>') {
        int k = 0;
        while (k < line.length && line[k] == '>') {
          k++;
        }
        if (startsWithFrom(line, k)) {
          skip = 1;
        }
      }
      if (message.size() + line.length > MAX_MESSAGE) {
        throw new ReportFormatException("mbox message larger than " + MAX_MESSAGE + " bytes");
      }
      message.write(line, skip, line.length - skip);
    }
    return new ByteArrayInputStream(message.toByteArray());
  }

  private static boolean isSeparator(byte[] line) {
    return startsWithFrom(line, 0);
  }

  private static boolean startsWithFrom(byte[] line, int at) {
    return line.length >= at + 5
        && line[at] == 'F'
        && line[at + 1] == 'r'
        && line[at + 2] == 'o'
        && line[at + 3] == 'm'
        && line[at + 4] == ' ';
  }

  /** One line with its line end, or null at the end. */
  private byte[] readLine() throws IOException {
    if (eof) {
      return null;
    }
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int b;
    while ((b = in.read()) >= 0) {
      line.write(b);
      if (b == '\n') {
        return line.toByteArray();
      }
      if (line.size() > MAX_MESSAGE) {
        throw new ReportFormatException("mbox line longer than " + MAX_MESSAGE + " bytes");
      }
    }
    eof = true;
    return line.size() == 0 ? null : line.toByteArray();
  }
}
