package org.authmill.feedback;

import java.io.IOException;
import java.io.Reader;

/**
 * Mends the XML mistakes reporters make before a strict parser sees them, and refuses what must
 * never be parsed. A {@code <} that does not start a tag, comment, CDATA section or processing
 * instruction becomes {@code &lt;}; an {@code &} that does not start a predefined or numeric
 * character reference becomes {@code &amp;}; characters XML 1.0 forbids (controls) become U+FFFD;
 * text before the first {@code <} is dropped. A document type declaration is refused outright, so
 * no DTD, external entity or entity expansion (billion laughs) ever reaches the parser.
 */
final class RepairingReader extends Reader {
  private static final int LOOKAHEAD = 4096;

  private final Reader in;
  private final char[] buf = new char[LOOKAHEAD * 4];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean started;
  private String pending = "";
  private int pendingPos;

  RepairingReader(Reader in) {
    this.in = in;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = 0;
    while (n < len) {
      if (pendingPos < pending.length()) {
        cbuf[off + n++] = pending.charAt(pendingPos++);
        continue;
      }
      if (!ensure(1)) {
        break;
      }
      char c = buf[pos];
      if (!started) {
        if (c != '<') {
          pos++;
          continue;
        }
        started = true;
      }
      if (c == '<') {
        pending = markup();
        pendingPos = 0;
      } else if (c == '&') {
        pending = reference();
        pendingPos = 0;
      } else {
        // A run of text up to the next markup character, copied in one go.
        int max = Math.min(limit - pos, len - n);
        int k = 0;
        while (k < max) {
          char d = buf[pos + k];
          if (d == '<' || d == '&') {
            break;
          }
          cbuf[off + n + k] = allowed(d) ? d : '\uFFFD';
          k++;
        }
        pos += k;
        n += k;
      }
    }
    return n == 0 ? -1 : n;
  }

  private static boolean allowed(char c) {
    return c >= 0x20 ? c != '\uFFFE' && c != '\uFFFF' : c == '\t' || c == '\n' || c == '\r';
  }

  /** At a '<': returns what to emit and advances past it. */
  private String markup() throws IOException {
    ensure(LOOKAHEAD);
    int avail = limit - pos;
    if (startsWith("<!--") || startsWith("<![CDATA[") || startsWith("<?")) {
      pos++;
      return "<";
    }
    if (startsWithIgnoreCase("<!DOCTYPE")) {
      throw new ReportFormatException(
          "the report has a DOCTYPE declaration, which is refused (no DTDs, external entities"
              + " or entity expansion)");
    }
    int i = pos + 1;
    boolean end = i < pos + avail && buf[i] == '/';
    if (end) {
      i++;
    }
    int nameStart = i;
    while (i < pos + avail && nameChar(buf[i], i == nameStart)) {
      i++;
    }
    boolean tag = false;
    if (i > nameStart && i < pos + avail) {
      char next = buf[i];
      if (next == '>') {
        tag = true;
      } else if (end) {
        while (i < pos + avail && Character.isWhitespace(buf[i])) {
          i++;
        }
        tag = i < pos + avail && buf[i] == '>';
      } else if (next == '/' || Character.isWhitespace(next)) {
        char quote = 0;
        for (; i < pos + avail; i++) {
          char c = buf[i];
          if (quote != 0) {
            if (c == quote) {
              quote = 0;
            } else if (c == '<') {
              break;
            }
          } else if (c == '"' || c == '\'') {
            quote = c;
          } else if (c == '>') {
            tag = true;
            break;
          } else if (c == '<') {
            break;
          }
        }
      }
    }
    pos++;
    return tag ? "<" : "&lt;";
  }

  /** At a '&': returns what to emit and advances past it. */
  private String reference() throws IOException {
    ensure(16);
    int i = pos + 1;
    int max = Math.min(limit, pos + 16);
    boolean ok = false;
    if (i < max && buf[i] == '#') {
      i++;
      boolean hex = i < max && (buf[i] == 'x' || buf[i] == 'X');
      if (hex) {
        i++;
      }
      int digits = i;
      while (i < max && (hex ? Character.digit(buf[i], 16) >= 0 : buf[i] >= '0' && buf[i] <= '9')) {
        i++;
      }
      ok = i > digits && i < max && buf[i] == ';';
    } else {
      for (String name : new String[] {"lt;", "gt;", "amp;", "quot;", "apos;"}) {
        if (regionMatches(pos + 1, name)) {
          ok = true;
          break;
        }
      }
    }
    pos++;
    return ok ? "&" : "&amp;";
  }

  private static boolean nameChar(char c, boolean first) {
    if (c >= 0x80) {
      return Character.isLetterOrDigit(c);
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':') {
      return true;
    }
    return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
  }

  private boolean startsWith(String s) {
    return regionMatches(pos, s);
  }

  private boolean regionMatches(int at, String s) {
    if (limit - at < s.length()) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (buf[at + k] != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private boolean startsWithIgnoreCase(String s) {
    if (limit - pos < s.length()) {
      return false;
    }
    return new String(buf, pos, s.length()).equalsIgnoreCase(s);
  }

  /** Makes at least {@code n} characters available when the input has them. */
  private boolean ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return true;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    while (!eof && limit < n) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        eof = true;
      } else {
        limit += r;
      }
    }
    return limit - pos > 0;
  }

  /** True once a '<' was seen: the input had some markup. */
  boolean sawMarkup() {
    return started;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
