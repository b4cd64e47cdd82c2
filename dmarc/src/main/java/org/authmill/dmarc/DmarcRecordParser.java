package org.authmill.dmarc;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.authmill.dns.ParseResult;

/**
 * The RFC 9989 §4.8 grammar, applied leniently as the section asks for everything but the version.
 */
final class DmarcRecordParser {
  private static final String VERSION = "DMARC1";
  private static final Pattern PCT = Pattern.compile("[0-9]{1,3}");
  private static final Pattern RF = Pattern.compile("[A-Za-z0-9-]+(\\s*:\\s*[A-Za-z0-9-]+)*");
  private static final Pattern RF_SEPARATOR = Pattern.compile("\\s*:\\s*");
  private static final Pattern RI = Pattern.compile("[0-9]{1,32}");

  private DmarcRecordParser() {}

  /**
   * The index just after {@code v=DMARC1} and the whitespace after it, or -1 when the text does not
   * start with the version tag. The tag name is matched case-insensitively (an RFC 5234 string),
   * the value case-sensitively (RFC 9989 §4.7: {@code %s"DMARC1"}).
   */
  static int versionEnd(String text) {
    if (text.isEmpty() || (text.charAt(0) != 'v' && text.charAt(0) != 'V')) {
      return -1;
    }
    int i = skipWsp(text, 1);
    if (i >= text.length() || text.charAt(i) != '=') {
      return -1;
    }
    i = skipWsp(text, i + 1);
    if (!text.startsWith(VERSION, i)) {
      return -1;
    }
    i = skipWsp(text, i + VERSION.length());
    if (i < text.length() && text.charAt(i) != ';') {
      return -1;
    }
    return i;
  }

  static ParseResult<DmarcRecord> parse(String text) {
    if (text.length() > DmarcRecord.MAX_RECORD_LENGTH) {
      return new ParseResult.Invalid<>(
          "record longer than " + DmarcRecord.MAX_RECORD_LENGTH + " characters");
    }
    int start = versionEnd(text);
    if (start < 0) {
      return new ParseResult.Invalid<>(
          "not a DMARC record: it does not start with v=DMARC1 (RFC 9989 §4.7)");
    }
    Builder b = new Builder(text);
    String rest = start < text.length() ? text.substring(start + 1) : "";
    String[] parts = rest.split(";", -1);
    for (int index = 0; index < parts.length; index++) {
      String part = stripWsp(parts[index]);
      if (part.isEmpty()) {
        if (index != parts.length - 1 && !(index == 0 && parts.length == 1)) {
          b.problem("", "empty tag between two semicolons ignored");
        }
        continue;
      }
      int eq = part.indexOf('=');
      String name = (eq < 0 ? part : stripWsp(part.substring(0, eq))).toLowerCase(Locale.ROOT);
      if (eq < 0 || !isAlpha(name)) {
        b.problem("", "malformed tag '" + part + "' ignored (expected name=value)");
        continue;
      }
      String value = stripWsp(part.substring(eq + 1));
      if (value.isEmpty()) {
        b.problem(name, "tag " + name + " has no value; ignored");
        continue;
      }
      if (!isPrintable(value)) {
        b.problem(name, "tag " + name + " holds characters outside printable ASCII; ignored");
        continue;
      }
      if (!b.seen.add(name)) {
        b.problem(name, "tag " + name + " appears more than once; the first one is used");
        continue;
      }
      b.tag(name, value);
    }
    return new ParseResult.Parsed<>(b.build());
  }

  /** Collects tag values while parsing. */
  private static final class Builder {
    final String text;
    final Set<String> seen = new java.util.HashSet<>();
    final List<RecordProblem> problems = new ArrayList<>();
    final Map<String, String> unknown = new LinkedHashMap<>();
    Optional<DmarcPolicy> p = Optional.empty();
    Optional<DmarcPolicy> sp = Optional.empty();
    Optional<DmarcPolicy> np = Optional.empty();
    PsdFlag psd = PsdFlag.UNKNOWN;
    boolean testing;
    AlignmentMode adkim = AlignmentMode.RELAXED;
    AlignmentMode aspf = AlignmentMode.RELAXED;
    List<ReportUri> rua = List.of();
    List<ReportUri> ruf = List.of();
    Set<FailureOption> fo = EnumSet.of(FailureOption.ALL_FAIL);
    OptionalInt pct = OptionalInt.empty();
    List<String> rf = List.of();
    OptionalLong ri = OptionalLong.empty();

    Builder(String text) {
      this.text = text;
      seen.add("v");
    }

    void problem(String tag, String message) {
      problems.add(new RecordProblem(tag, message));
    }

    void tag(String name, String value) {
      String lower = value.toLowerCase(Locale.ROOT);
      switch (name) {
        case "p" -> p = policy(name, value);
        case "sp" -> sp = policy(name, value);
        case "np" -> np = policy(name, value);
        case "psd" -> {
          switch (lower) {
            case "y" -> psd = PsdFlag.YES;
            case "n" -> psd = PsdFlag.NO;
            case "u" -> psd = PsdFlag.UNKNOWN;
            default -> invalid(name, value, "y, n or u");
          }
        }
        case "t" -> {
          switch (lower) {
            case "y" -> testing = true;
            case "n" -> testing = false;
            default -> invalid(name, value, "y or n");
          }
        }
        case "adkim" -> adkim = mode(name, value, adkim);
        case "aspf" -> aspf = mode(name, value, aspf);
        case "rua" -> rua = uris(name, value);
        case "ruf" -> ruf = uris(name, value);
        case "fo" -> fo = failureOptions(value);
        case "pct" -> {
          if (PCT.matcher(value).matches() && Integer.parseInt(value) <= 100) {
            pct = OptionalInt.of(Integer.parseInt(value));
          } else {
            invalid(name, value, "an integer from 0 to 100");
          }
        }
        case "rf" -> {
          if (RF.matcher(value).matches()) {
            rf = List.of(RF_SEPARATOR.split(lower));
          } else {
            invalid(name, value, "a colon-separated list of report formats such as afrf");
          }
        }
        case "ri" -> {
          if (RI.matcher(value).matches()
              && value.length() <= 10
              && Long.parseLong(value) <= 0xFFFFFFFFL) {
            ri = OptionalLong.of(Long.parseLong(value));
          } else {
            invalid(name, value, "a number of seconds from 0 to 4294967295");
          }
        }
        case "v" -> problem("v", "tag v appears again after the start; ignored");
        default -> unknown.put(name, value);
      }
    }

    private Optional<DmarcPolicy> policy(String name, String value) {
      Optional<DmarcPolicy> policy = DmarcPolicy.fromKeyword(value);
      if (policy.isEmpty()) {
        invalid(name, value, "none, quarantine or reject");
      }
      return policy;
    }

    private AlignmentMode mode(String name, String value, AlignmentMode current) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "r":
          return AlignmentMode.RELAXED;
        case "s":
          return AlignmentMode.STRICT;
        default:
          invalid(name, value, "r or s");
          return current;
      }
    }

    private List<ReportUri> uris(String name, String value) {
      List<ReportUri> uris = new ArrayList<>();
      for (String element : value.split(",", -1)) {
        String item = stripWsp(element);
        Optional<ReportUri> uri = ReportUri.parse(item);
        if (uri.isPresent()) {
          uris.add(uri.get());
        } else {
          problem(name, name + ": '" + item + "' is not a valid reporting URI; ignored");
        }
      }
      return uris;
    }

    private Set<FailureOption> failureOptions(String value) {
      Set<FailureOption> options = EnumSet.noneOf(FailureOption.class);
      boolean valid = true;
      for (String item : value.split(":", -1)) {
        FailureOption option =
            switch (item.toLowerCase(Locale.ROOT)) {
              case "0" -> FailureOption.ALL_FAIL;
              case "1" -> FailureOption.ANY_FAIL;
              case "d" -> FailureOption.DKIM;
              case "s" -> FailureOption.SPF;
              default -> null;
            };
        if (option == null || !options.add(option)) {
          valid = false;
        }
      }
      if (options.contains(FailureOption.ALL_FAIL) && options.contains(FailureOption.ANY_FAIL)) {
        valid = false;
      }
      if (!valid) {
        invalid(
            "fo",
            value,
            "colon-separated 0 or 1, d and s, each at most once, 0 and 1 not together; the default"
                + " 0 is used");
        return EnumSet.of(FailureOption.ALL_FAIL);
      }
      return options;
    }

    private void invalid(String name, String value, String expected) {
      problem(name, name + "=" + value + " is not valid (expected " + expected + "); ignored");
    }

    DmarcRecord build() {
      return new DmarcRecord(
          text, p, sp, np, psd, testing, adkim, aspf, rua, ruf, fo, pct, rf, ri, unknown, problems);
    }
  }

  private static int skipWsp(String text, int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static String stripWsp(String text) {
    int start = skipWsp(text, 0);
    int end = text.length();
    while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
      end--;
    }
    return text.substring(start, end);
  }

  private static boolean isAlpha(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrintable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
