package org.authmill.feedback;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a report's bytes into characters the way reporters mean them rather than as XML 1.0
 * strictly says: the encoding comes from a byte order mark or the XML declaration (any charset the
 * JDK knows, such as {@code windows-1252} or {@code ISO-8859-1}; UTF-8 when none or unknown), and
 * bytes that are not valid in that encoding become U+FFFD instead of failing the report.
 */
final class XmlText {
  private static final Pattern ENCODING =
      Pattern.compile("encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']");

  private XmlText() {}

  /** A reader over the document's characters, decoding leniently. */
  static Reader reader(InputStream in) throws IOException {
    PushbackInputStream push = new PushbackInputStream(in, 512);
    byte[] head = new byte[512];
    int n = 0;
    while (n < head.length) {
      int r = push.read(head, n, head.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    Charset charset = StandardCharsets.UTF_8;
    int skip = 0;
    if (n >= 3
        && (head[0] & 0xff) == 0xef
        && (head[1] & 0xff) == 0xbb
        && (head[2] & 0xff) == 0xbf) {
      skip = 3;
    } else if (n >= 2 && (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff) {
      charset = StandardCharsets.UTF_16BE;
      skip = 2;
    } else if (n >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe) {
      charset = StandardCharsets.UTF_16LE;
      skip = 2;
    } else if (n >= 2 && head[0] == 0 && head[1] == '<') {
      charset = StandardCharsets.UTF_16BE;
    } else if (n >= 2 && head[0] == '<' && head[1] == 0) {
      charset = StandardCharsets.UTF_16LE;
    } else {
      charset = declared(new String(head, 0, n, StandardCharsets.ISO_8859_1));
    }
    if (n > skip) {
      push.unread(head, skip, n - skip);
    }
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    return new InputStreamReader(push, decoder);
  }

  /** The charset of the XML declaration in the document's first bytes, or UTF-8. */
  static Charset declared(String head) {
    int end = head.indexOf("?>");
    if (!head.stripLeading().startsWith("<?xml") || end < 0) {
      return StandardCharsets.UTF_8;
    }
    Matcher m = ENCODING.matcher(head.substring(0, end));
    if (!m.find()) {
      return StandardCharsets.UTF_8;
    }
    String name = m.group(1).toLowerCase(Locale.ROOT);
    // A document that says UTF-16 but reached here has no BOM and no zero bytes: it is 8-bit.
    if (name.startsWith("utf-16") || name.startsWith("utf-32") || name.equals("ucs-2")) {
      return StandardCharsets.UTF_8;
    }
    try {
      Charset charset = Charset.forName(name);
      // Only ASCII-compatible charsets can have been declared in ASCII.
      return charset.newEncoder().canEncode('<') ? charset : StandardCharsets.UTF_8;
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return StandardCharsets.UTF_8;
    }
  }
}
