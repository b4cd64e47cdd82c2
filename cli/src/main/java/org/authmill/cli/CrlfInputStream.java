package org.authmill.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns each bare LF into CRLF (RFC 5322 §2.1 line ends), so that a message file saved with Unix
 * line ends is hashed as it would travel over SMTP. CRLF and bare CR pass unchanged.
 */
final class CrlfInputStream extends FilterInputStream {
  private final byte[] buffer = new byte[32 * 1024];
  private int position;
  private int limit;
  private boolean previousCr;
  private boolean pendingLf;

  CrlfInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] out, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int n = 0;
    while (n < length) {
      if (pendingLf) {
        out[offset + n++] = '\n';
        pendingLf = false;
        previousCr = false;
        continue;
      }
      if (position == limit) {
        if (n > 0 && in.available() <= 0) {
          break;
        }
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return n == 0 ? -1 : n;
        }
      }
      byte c = buffer[position++];
      if (c == '\n' && !previousCr) {
        out[offset + n++] = '\r';
        pendingLf = true;
        continue;
      }
      out[offset + n++] = c;
      previousCr = c == '\r';
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported");
  }

  @Override
  public int available() {
    return (limit - position) + (pendingLf ? 1 : 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
