package org.authmill.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TextParseException;

/**
 * A domain name, the one type the toolkit uses for them: immutable, in presentation form without
 * the trailing dot of the root, with U-labels turned into A-labels by {@link Idna} (IDNA2008, RFC
 * 5891; RFC 8616 §4 for SPF and DKIM, RFC 9989 §5.3.1 for DMARC). The case of ASCII labels is kept
 * as given, and names compare ignoring it (RFC 4343): {@code Example.COM} equals {@code
 * example.com}.
 *
 * <p>Two syntaxes, both with labels of 1 to 63 octets and at most 253 characters in all (RFC 1035
 * §2.3.4), and both accepting one trailing dot:
 *
 * <ul>
 *   <li>{@link #parse(String)}: a host name as mail uses it (letters, digits, hyphens, and the
 *       underscores of DKIM selectors and {@code _dmarc} names, RFC 6376 §3.1); non-ASCII labels
 *       are converted to A-labels.
 *   <li>{@link #parseDnsName(String)}: any octet in a label (RFC 2181 §11), as an SPF macro may
 *       expand to; nothing is converted.
 * </ul>
 *
 * Bad input gives a {@link ParseResult.Invalid} naming what is wrong.
 */
public final class DomainName {
  /** The longest name in presentation form without the trailing dot (RFC 1035 §2.3.4). */
  public static final int MAX_LENGTH = 253;

  /** The longest label (RFC 1035 §2.3.4). */
  public static final int MAX_LABEL_LENGTH = 63;

  /**
   * The longest text {@link #parse(String)} converts: U-labels are longer than their A-labels, but
   * not four times longer once the result fits {@link #MAX_LENGTH}; longer text is refused before
   * the IDNA work.
   */
  static final int MAX_TEXT_LENGTH = 4 * MAX_LENGTH;

  private final String text;
  private final String key;

  private DomainName(String text) {
    this.text = text;
    this.key = text.toLowerCase(Locale.ROOT);
  }

  /**
   * A host name: labels of letters, digits, hyphens and underscores; U-labels become A-labels;
   * surrounding white space and one trailing dot are removed.
   */
  public static ParseResult<DomainName> parse(String text) {
    String name = withoutRootDot(text.strip());
    if (name.length() > MAX_TEXT_LENGTH) {
      return ParseResult.invalid("the name is longer than " + MAX_LENGTH + " characters");
    }
    if (isAscii(name)) {
      return checked(name, true);
    }
    return Idna.toAscii(name)
        .map(ascii -> checked(ascii, true))
        .orElseGet(() -> ParseResult.invalid("the name has a label that IDNA2008 does not allow"));
  }

  /**
   * A name as the DNS holds it: labels of any octets (RFC 2181 §11: a macro may expand to spaces);
   * one trailing dot is removed; nothing is converted.
   */
  public static ParseResult<DomainName> parseDnsName(String text) {
    return checked(withoutRootDot(text), false);
  }

  private static ParseResult<DomainName> checked(String name, boolean hostName) {
    return problem(name, hostName)
        .<ParseResult<DomainName>>map(ParseResult::invalid)
        .orElseGet(() -> ParseResult.parsed(new DomainName(name)));
  }

  /** The reverse-mapping name of an address (RFC 1035 §3.5, RFC 3596 §2.5). */
  public static DomainName reverse(InetAddress address) {
    return new DomainName(toText(ReverseMap.fromAddress(address)));
  }

  /**
   * The text with one trailing dot (the root's) removed; {@code "."} stays {@code "."}. For names
   * that are shown or keyed before they are parsed.
   */
  public static String withoutRootDot(String text) {
    return text.endsWith(".") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
  }

  /** The labels, left to right. */
  public List<String> labels() {
    List<String> labels = new ArrayList<>();
    int start = 0;
    for (int dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', start)) {
      labels.add(text.substring(start, dot));
      start = dot + 1;
    }
    labels.add(text.substring(start));
    return List.copyOf(labels);
  }

  /** The number of labels. */
  public int labelCount() {
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '.') {
        count++;
      }
    }
    return count;
  }

  /** The name one label shorter, or empty for a name of one label. */
  public Optional<DomainName> parent() {
    int dot = text.indexOf('.');
    return dot < 0 ? Optional.empty() : Optional.of(new DomainName(text.substring(dot + 1)));
  }

  /** The name made of the right-most {@code count} labels (all of them when there are fewer). */
  public DomainName suffix(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("a suffix has at least one label");
    }
    int index = text.length();
    for (int seen = 0; seen < count; seen++) {
      index = text.lastIndexOf('.', index - 1);
      if (index < 0) {
        return this;
      }
    }
    return new DomainName(text.substring(index + 1));
  }

  /**
   * True when this name equals {@code other} or lies below it, ignoring case: {@code
   * mail.example.com} is at or below {@code example.com}; {@code badexample.com} is not.
   */
  public boolean isAtOrBelow(DomainName other) {
    return key.equals(other.key) || key.endsWith("." + other.key);
  }

  /** The name with its ASCII letters in lower case, the form DMARC compares and shows. */
  public DomainName toLowerCase() {
    return key.equals(text) ? this : new DomainName(key);
  }

  /** The name in presentation form, A-labels, without the trailing dot. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DomainName name && key.equals(name.key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  /** dnsjava's absolute name for lookup text, or empty when no such name can exist in the DNS. */
  static Optional<Name> toDnsjava(String text) {
    if (text.isEmpty() || text.startsWith(".") || text.contains("..")) {
      return text.equals(".") ? Optional.of(Name.root) : Optional.empty();
    }
    try {
      return Optional.of(Name.fromString(text, Name.root));
    } catch (TextParseException e) {
      return Optional.empty();
    }
  }

  /** A dnsjava name as text without the trailing dot ({@code .} for the root). */
  static String toText(Name name) {
    return name.equals(Name.root) ? "." : name.toString(true);
  }

  /** What is wrong with a name without its trailing dot, or empty when nothing is. */
  private static Optional<String> problem(String name, boolean hostName) {
    if (name.isEmpty()) {
      return Optional.of("the name is empty");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of("the name is longer than " + MAX_LENGTH + " characters");
    }
    int labelStart = 0;
    for (int i = 0; i <= name.length(); i++) {
      char c = i == name.length() ? '.' : name.charAt(i);
      if (c == '.') {
        int length = i - labelStart;
        if (length == 0) {
          return Optional.of("the name has an empty label");
        }
        if (length > MAX_LABEL_LENGTH) {
          return Optional.of(
              "the name has a label longer than " + MAX_LABEL_LENGTH + " characters");
        }
        labelStart = i + 1;
      } else if (hostName && !isHostNameChar(c)) {
        return Optional.of(
            "the name has a character other than a letter, digit, hyphen or underscore");
      }
    }
    return Optional.empty();
  }

  private static boolean isHostNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
