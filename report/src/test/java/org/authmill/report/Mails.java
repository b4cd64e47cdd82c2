package org.authmill.report;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Reads the report messages that smtp-sink saved. */
final class Mails {
  private static final Pattern FILE =
      Pattern.compile("Content-Disposition: attachment; filename=\"([^\"]+)\"\r?\n\r?\n");

  private Mails() {}

  /** A saved message: its text, its attachment's file name and the gunzipped XML. */
  record Saved(String text, String fileName, byte[] xml) {
    String header(String name) {
      Matcher m =
          Pattern.compile("(?m)^" + Pattern.quote(name) + ": (.*(?:\r?\n[ \t].*)*)").matcher(text);
      return m.find() ? m.group(1).replaceAll("\r?\n[ \t]", " ").strip() : null;
    }

    AggregateReport report() {
      return ReportXml.parse(xml);
    }
  }

  static Saved read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    Matcher m = FILE.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no attachment in " + file + ":\n" + text);
    }
    int end = text.indexOf("--", m.end());
    String b64 = text.substring(m.end(), end).replaceAll("\\s", "");
    byte[] gz = Base64.getDecoder().decode(b64);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new Saved(text, m.group(1), in.readAllBytes());
    }
  }
}
