package org.authmill.auth.results;

import java.util.ArrayList;
import java.util.List;
import org.authmill.dns.Excerpt;

/** Writes Authentication-Results field values (RFC 8601 §2.2), on one line or folded. */
final class AuthResultsWriter {
  /** Comments and reasons are cut to this many characters, to keep lines within RFC 5322's 998. */
  static final int MAX_TEXT_LENGTH = 256;

  private AuthResultsWriter() {}

  /** The parts of a resinfo separated by white space when written. */
  static List<String> atoms(MethodResult r) {
    List<String> atoms = new ArrayList<>();
    atoms.add(
        r.method()
            + (r.version().isPresent() ? "/" + r.version().getAsInt() : "")
            + "="
            + r.result());
    r.comment().map(c -> HeaderText.comment(limit(c))).ifPresent(atoms::add);
    r.reason()
        .ifPresent(
            reason ->
                atoms.add("reason=" + HeaderText.quoted(HeaderText.asciiText(limit(reason)))));
    for (ResultProperty p : r.properties()) {
      atoms.add(p.toString());
    }
    return atoms;
  }

  private static String limit(String text) {
    return Excerpt.cut(text, MAX_TEXT_LENGTH);
  }

  private static String head(AuthenticationResults ar) {
    return HeaderText.value(ar.authservId())
        + (ar.version().isPresent() ? " " + ar.version().getAsInt() : "");
  }

  static String write(AuthenticationResults ar) {
    StringBuilder out = new StringBuilder(head(ar));
    if (ar.results().isEmpty()) {
      return out.append("; none").toString();
    }
    for (MethodResult r : ar.results()) {
      out.append("; ").append(String.join(" ", atoms(r)));
    }
    return out.toString();
  }

  static String fold(AuthenticationResults ar, int width, String lineBreak) {
    StringBuilder out = new StringBuilder(head(ar));
    if (ar.results().isEmpty()) {
      return out.append("; none").toString();
    }
    for (int i = 0; i < ar.results().size(); i++) {
      out.append(';').append(lineBreak).append('\t');
      int column = 8;
      List<String> atoms = atoms(ar.results().get(i));
      for (int j = 0; j < atoms.size(); j++) {
        String atom = atoms.get(j);
        int extra = i < ar.results().size() - 1 && j == atoms.size() - 1 ? 1 : 0;
        if (j > 0) {
          if (column + 1 + atom.length() + extra > width) {
            out.append(lineBreak).append('\t');
            column = 8;
          } else {
            out.append(' ');
            column++;
          }
        }
        out.append(atom);
        column += atom.length();
      }
    }
    return out.toString();
  }
}
