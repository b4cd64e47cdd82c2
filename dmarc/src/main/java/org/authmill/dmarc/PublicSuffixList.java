package org.authmill.dmarc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.authmill.dns.DomainName;
import org.authmill.dns.Idna;

/**
 * The Mozilla Public Suffix List (https://publicsuffix.org/list/), which RFC 7489 §3.2 uses to find
 * the Organizational Domain: the public suffix of a name plus one label. Rules are matched as the
 * list's own algorithm says: exception rules ({@code !}) prevail, then the rule with the most
 * labels, wildcards ({@code *.}) match any one label, and an unlisted TLD is a public suffix by the
 * implicit rule {@code *}. Both the ICANN and the PRIVATE sections are used. Names may be given
 * with U-labels or A-labels; rules are compared in A-label form (IDNA2008, as the Author Domain).
 *
 * <p>Debian's package {@code publicsuffix} installs the list at {@link #DEBIAN_PATH}.
 */
public final class PublicSuffixList {
  /** Where Debian's {@code publicsuffix} package installs the list. */
  public static final Path DEBIAN_PATH = Path.of("/usr/share/publicsuffix/public_suffix_list.dat");

  /** The largest list file read (the real list is about 330 KB). */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  private final Set<String> rules;
  private final Set<String> wildcardParents;
  private final Set<String> exceptions;

  private PublicSuffixList(Set<String> rules, Set<String> wildcardParents, Set<String> exceptions) {
    this.rules = Set.copyOf(rules);
    this.wildcardParents = Set.copyOf(wildcardParents);
    this.exceptions = Set.copyOf(exceptions);
  }

  /** Reads the list from a file of at most {@link #DEFAULT_MAX_BYTES}. */
  public static PublicSuffixList fromFile(Path file) throws IOException {
    return fromFile(file, DEFAULT_MAX_BYTES);
  }

  /**
   * Reads the list from a file (UTF-8).
   *
   * @param maxBytes the largest file accepted, checked before reading
   * @throws IOException if the file cannot be read or is larger than {@code maxBytes}
   */
  public static PublicSuffixList fromFile(Path file, long maxBytes) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new IOException(
          file + ": " + size + " bytes, more than the limit of " + maxBytes + " for a suffix list");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader);
    }
  }

  /** Reads the list from its text. */
  public static PublicSuffixList fromText(String text) {
    try {
      return read(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PublicSuffixList read(Reader source) throws IOException {
    Set<String> rules = new HashSet<>();
    Set<String> wildcards = new HashSet<>();
    Set<String> exceptions = new HashSet<>();
    BufferedReader reader = new BufferedReader(source);
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      String rule = line.strip();
      int space = indexOfWhitespace(rule);
      if (space >= 0) {
        rule = rule.substring(0, space);
      }
      if (rule.isEmpty() || rule.startsWith("//")) {
        continue;
      }
      if (rule.startsWith("!")) {
        exceptions.add(toAscii(rule.substring(1)));
      } else if (rule.startsWith("*.")) {
        wildcards.add(toAscii(rule.substring(2)));
      } else if (rule.equals("*")) {
        continue; // the implicit default rule
      } else {
        rules.add(toAscii(rule));
      }
    }
    return new PublicSuffixList(rules, wildcards, exceptions);
  }

  /** How many rules the list holds, of all three kinds. */
  public int size() {
    return rules.size() + wildcardParents.size() + exceptions.size();
  }

  /**
   * The public suffix of a name (lower case, in the form the name was given: U-labels stay
   * U-labels), or empty for a name that is not a domain name (empty, a leading dot, an empty
   * label).
   */
  public Optional<String> publicSuffix(String name) {
    return split(name).map(n -> n.original.suffix(suffixLabels(n.ascii)).toString());
  }

  /**
   * The registrable domain, the public suffix plus one label (RFC 7489 §3.2 steps 3 to 5), in the
   * form the name was given; empty when the name is itself a public suffix or is not a domain name.
   */
  public Optional<String> registrableDomain(String name) {
    Optional<Names> names = split(name);
    if (names.isEmpty()) {
      return Optional.empty();
    }
    int suffixLabels = suffixLabels(names.get().ascii);
    if (names.get().ascii.labelCount() <= suffixLabels) {
      return Optional.empty();
    }
    return Optional.of(names.get().original.suffix(suffixLabels + 1).toString());
  }

  /** The number of labels of the public suffix of a name in A-label form. */
  private int suffixLabels(DomainName ascii) {
    int labels = ascii.labelCount();
    int longest = 1; // the implicit rule "*"
    for (int count = 1; count <= labels; count++) {
      String suffix = ascii.suffix(count).toString();
      if (exceptions.contains(suffix)) {
        return count - 1;
      }
      if (rules.contains(suffix)) {
        longest = Math.max(longest, count);
      }
      if (count >= 2 && wildcardParents.contains(ascii.suffix(count - 1).toString())) {
        longest = Math.max(longest, count);
      }
    }
    return longest;
  }

  /**
   * A name as given (lower case, U-labels kept) and in A-labels; both {@link
   * DomainName#parseDnsName(String)}, which takes U-labels as they are.
   */
  private record Names(DomainName original, DomainName ascii) {}

  private static Optional<Names> split(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String lower = DomainName.withoutRootDot(name.strip().toLowerCase(Locale.ROOT));
    Optional<DomainName> original = DomainName.parseDnsName(lower).value();
    Optional<DomainName> ascii = DomainName.parseDnsName(toAscii(lower)).value();
    if (original.isEmpty()
        || ascii.isEmpty()
        || ascii.get().labelCount() != original.get().labelCount()) {
      return Optional.empty();
    }
    return Optional.of(new Names(original.get(), ascii.get()));
  }

  private static String toAscii(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return Idna.toAscii(lower).map(a -> a.toLowerCase(Locale.ROOT)).orElse(lower);
  }

  private static int indexOfWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
