package org.authmill.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The messages every benchmark uses: realistic header blocks (Received chain, MIME, list headers)
 * and a text body, built deterministically to a target size, with CRLF line endings and a body that
 * is already in canonical form (no trailing whitespace, no empty lines at the end), so that simple
 * and relaxed canonicalization hash the same bytes.
 */
public final class BenchMessages {
  private BenchMessages() {}

  /** The header block (each field ends in CRLF), without the empty line that ends it. */
  public static String headers() {
    return "Received: from mail-out.example.com (mail-out.example.com [192.0.2.25])\r\n"
        + "\tby mx.example.org (Postfix) with ESMTPS id 4Xyz1234AbC\r\n"
        + "\tfor <bob@example.org>; Sat, 28 Nov 2026 09:30:00 +0000 (UTC)\r\n"
        + "Received: from [10.0.0.7] (client.example.com [198.51.100.7])\r\n"
        + "\tby mail-out.example.com (Postfix) with ESMTPSA id 1A2B3C4D5E\r\n"
        + "\tfor <bob@example.org>; Sat, 28 Nov 2026 09:29:59 +0000 (UTC)\r\n"
        + "MIME-Version: 1.0\r\n"
        + "From: Alice Example <alice@example.com>\r\n"
        + "To: Bob Example <bob@example.org>\r\n"
        + "Cc: carol@example.net, \"Dave D.\" <dave@example.net>\r\n"
        + "Subject: Quarterly figures, draft 3 (please review before Monday)\r\n"
        + "Date: Sat, 28 Nov 2026 09:29:58 +0000\r\n"
        + "Message-ID: <20261128092958.4711@mail-out.example.com>\r\n"
        + "Reply-To: Alice Example <alice@example.com>\r\n"
        + "List-Unsubscribe: <mailto:unsubscribe@example.com?subject=unsubscribe>\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n";
  }

  /** A body of exactly {@code size} bytes: lines of words up to 76 characters, CRLF endings. */
  public static byte[] body(int size) {
    Random random = new Random(size);
    String[] words = {
      "the", "quarterly", "figures", "are", "attached", "revenue", "grew", "by", "four",
      "percent", "while", "costs", "stayed", "flat", "please", "review", "section", "three"
    };
    StringBuilder body = new StringBuilder(size + 100);
    StringBuilder line = new StringBuilder();
    while (body.length() < size) {
      String word = words[random.nextInt(words.length)];
      if (line.length() + word.length() + 1 > 76) {
        body.append(line).append("\r\n");
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    body.setLength(size - 2);
    // No trailing space before the final CRLF, so the body is canonical for both algorithms.
    while (body.charAt(body.length() - 1) == ' ' || body.charAt(body.length() - 1) == '\r') {
      body.setCharAt(body.length() - 1, 'x');
    }
    body.append("\r\n");
    return body.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Headers, the empty line, and the body of {@code bodySize} bytes. */
  public static byte[] message(int bodySize) {
    byte[] head = (headers() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = body(bodySize);
    byte[] message = new byte[head.length + body.length];
    System.arraycopy(head, 0, message, 0, head.length);
    System.arraycopy(body, 0, message, head.length, body.length);
    return message;
  }
}
