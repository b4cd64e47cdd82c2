package org.authmill.dmarc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;
import org.apache.james.mime4j.field.address.TokenMgrError;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RawField;
import org.authmill.dns.DomainName;
import org.authmill.dns.Excerpt;
import org.authmill.dns.Unfolding;

/**
 * Extracts the Author Domains from a message's RFC5322.From header fields (RFC 9989 §5.3.1) with
 * Apache James mime4j's RFC 5322 address-list parser.
 *
 * <p>The extraction is built so that a message cannot choose which domain is checked: every From:
 * field and every mailbox in it (including those inside a group, RFC 6854) counts; only the
 * addr-spec's domain is used, never a display name, comment or encoded word (RFC 2047 §5 forbids
 * encoded words in an addr-spec); quoted local parts and obsolete routes are parsed, not scanned;
 * and when a field is not valid RFC 5322 syntax, every domain that follows an {@code @} anywhere in
 * it counts, so that a malformed field cannot hide the domain a mail reader would display. Domains
 * are put in normal form (lower case, U-labels to A-labels as §5.3.1 requires, trailing dot
 * removed); a domain literal or a name that is not a host name is not an Author Domain.
 *
 * <p>Limits, checked before anything is parsed: {@link Builder#maxFromFields} fields, {@link
 * Builder#maxFieldLength} characters per field, {@link Builder#maxHeaderFields} header fields and
 * {@link Builder#maxHeaderBytes} per field when reading a whole message.
 */
public final class AuthorDomainExtractor {
  /** Default limit on From: fields read. */
  public static final int DEFAULT_MAX_FROM_FIELDS = 16;

  /** Default limit on the length of one From: field's value, in characters. */
  public static final int DEFAULT_MAX_FIELD_LENGTH = 16 * 1024;

  /** Default limit on header fields read from a message. */
  public static final int DEFAULT_MAX_HEADER_FIELDS = 1000;

  /** Default limit on the length of any one header field of a message, in bytes. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 128 * 1024;

  /** Default limit on distinct domains collected. */
  public static final int DEFAULT_MAX_DOMAINS = 32;

  private static final Pattern AT_DOMAIN = Pattern.compile("@\\s*([\\p{L}\\p{N}._-]+)");

  private final int maxFromFields;
  private final int maxFieldLength;
  private final int maxHeaderFields;
  private final int maxHeaderBytes;
  private final int maxDomains;

  private AuthorDomainExtractor(Builder builder) {
    this.maxFromFields = builder.maxFromFields;
    this.maxFieldLength = builder.maxFieldLength;
    this.maxHeaderFields = builder.maxHeaderFields;
    this.maxHeaderBytes = builder.maxHeaderBytes;
    this.maxDomains = builder.maxDomains;
  }

  /** An extractor with the default limits. */
  public static AuthorDomainExtractor withDefaults() {
    return builder().build();
  }

  /** A builder starting from the default limits. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a message's header section (up to the empty line; the body is not read) and extracts the
   * Author Domains of its From: fields. Line ends may be CRLF or LF; header bytes are read as UTF-8
   * (RFC 6532).
   */
  public AuthorDomains fromMessage(InputStream message) throws IOException {
    MimeConfig config =
        new MimeConfig.Builder()
            .setMaxHeaderCount(maxHeaderFields)
            .setMaxHeaderLen(maxHeaderBytes)
            .setMaxLineLen(maxHeaderBytes)
            .setStrictParsing(false)
            .build();
    MimeTokenStream stream = new MimeTokenStream(config);
    stream.parse(message);
    List<String> values = new ArrayList<>();
    try {
      for (EntityState state = stream.getState();
          state != EntityState.T_END_HEADER && state != EntityState.T_END_OF_STREAM;
          state = stream.next()) {
        if (state == EntityState.T_FIELD) {
          Field field = stream.getField();
          if (field.getName().strip().equalsIgnoreCase("From")) {
            values.add(bodyOf(field));
          }
        }
      }
    } catch (MimeException e) {
      List<String> problems = new ArrayList<>();
      problems.add("the header section exceeds a limit (" + e.getMessage() + ")");
      AuthorDomains partial = fromFieldValues(values);
      problems.addAll(partial.problems());
      return new AuthorDomains(partial.domains(), partial.fromFields(), false, problems, false);
    }
    return fromFieldValues(values);
  }

  /** As {@link #fromMessage(InputStream)}, from the message's bytes. */
  public AuthorDomains fromMessage(byte[] message) {
    try {
      return fromMessage(new ByteArrayInputStream(message));
    } catch (IOException e) {
      throw new IllegalStateException("reading from memory failed", e);
    }
  }

  private static String bodyOf(Field field) {
    if (field instanceof RawField raw && raw.getRaw() != null) {
      byte[] bytes = raw.getRaw().toByteArray();
      String text = new String(bytes, StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      return colon >= 0 ? text.substring(colon + 1) : field.getBody();
    }
    return field.getBody();
  }

  /**
   * Extracts the Author Domains from the values of a message's From: fields, in the order they
   * appear (folded or not, without the field name and colon), as a milter receives them.
   */
  public AuthorDomains fromFieldValues(List<String> values) {
    List<String> problems = new ArrayList<>();
    Set<String> domains = new LinkedHashSet<>();
    boolean complete = true;
    if (values.isEmpty()) {
      problems.add("the message has no From: field (RFC 5322 §3.6 requires one)");
    } else if (values.size() > 1) {
      problems.add(
          "the message has "
              + values.size()
              + " From: fields (RFC 5322 §3.6 allows only one); the domains of all are checked");
    }
    int fields = 0;
    boolean[] wellFormed = {values.size() == 1};
    for (String value : values) {
      if (fields++ >= maxFromFields) {
        problems.add("more than " + maxFromFields + " From: fields; the rest were not read");
        complete = false;
        break;
      }
      if (value.length() > maxFieldLength) {
        problems.add(
            "a From: field is longer than " + maxFieldLength + " characters; it was not read");
        complete = false;
        continue;
      }
      complete &= extract(Unfolding.unfold(value), domains, problems, wellFormed);
    }
    if (domains.size() > 1) {
      problems.add(
          "From: names " + domains.size() + " author domains: " + String.join(", ", domains));
    }
    return new AuthorDomains(
        List.copyOf(domains),
        values.size(),
        wellFormed[0] && complete && !domains.isEmpty(),
        problems,
        complete);
  }

  /** Adds the domains of one field's value; false when the domain limit cut it short. */
  private boolean extract(
      String value, Set<String> domains, List<String> problems, boolean[] wellFormed) {
    AddressList list;
    try {
      list = DefaultAddressParser.DEFAULT.parseAddressList(value);
    } catch (ParseException | TokenMgrError | RuntimeException e) {
      wellFormed[0] = false;
      return scan(value, domains, problems);
    }
    List<Mailbox> mailboxes = list.flatten();
    if (mailboxes.isEmpty()) {
      wellFormed[0] = false;
      problems.add("a From: field names no mailbox: '" + Excerpt.of(value.strip()) + "'");
      return true;
    }
    for (Mailbox mailbox : mailboxes) {
      String raw = mailbox.getDomain() == null ? "" : mailbox.getDomain();
      Optional<String> domain =
          raw.startsWith("[")
              ? Optional.empty()
              : DomainName.parse(raw).value().map(d -> d.toLowerCase().toString());
      if (domain.isEmpty()) {
        wellFormed[0] = false;
        problems.add(
            "the mailbox "
                + Excerpt.of(mailbox.getAddress().strip())
                + " has no domain that DMARC can check"
                + (raw.startsWith("[") ? " (a domain literal)" : ""));
        continue;
      }
      if (!add(domain.get(), domains, problems)) {
        return false;
      }
    }
    return true;
  }

  /**
   * For a field that is not RFC 5322 syntax: every host name that follows an {@code @} counts (the
   * longest run of letters, digits, dots, hyphens and underscores after it), so that no
   * malformation can hide a domain a mail reader might show.
   */
  private boolean scan(String value, Set<String> domains, List<String> problems) {
    Matcher m = AT_DOMAIN.matcher(value);
    int found = 0;
    while (m.find()) {
      Optional<String> domain =
          DomainName.parse(m.group(1)).value().map(d -> d.toLowerCase().toString());
      if (domain.isPresent()) {
        found++;
        if (!add(domain.get(), domains, problems)) {
          return false;
        }
      }
    }
    problems.add(
        "a From: field is not RFC 5322 address syntax: '"
            + Excerpt.of(value.strip())
            + "'"
            + (found == 0
                ? "; no domain found in it"
                : "; every domain after an @ in it is checked"));
    return true;
  }

  private boolean add(String domain, Set<String> domains, List<String> problems) {
    if (!domains.contains(domain) && domains.size() >= maxDomains) {
      problems.add("more than " + maxDomains + " author domains; the rest were not read");
      return false;
    }
    domains.add(domain);
    return true;
  }

  /** Limits for an {@link AuthorDomainExtractor}. */
  public static final class Builder {
    private int maxFromFields = DEFAULT_MAX_FROM_FIELDS;
    private int maxFieldLength = DEFAULT_MAX_FIELD_LENGTH;
    private int maxHeaderFields = DEFAULT_MAX_HEADER_FIELDS;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private int maxDomains = DEFAULT_MAX_DOMAINS;

    private Builder() {}

    /** How many From: fields are read at most (default 16). */
    public Builder maxFromFields(int value) {
      this.maxFromFields = positive("maxFromFields", value);
      return this;
    }

    /** The longest From: field value read, in characters (default 16 KiB). */
    public Builder maxFieldLength(int value) {
      this.maxFieldLength = positive("maxFieldLength", value);
      return this;
    }

    /** How many header fields of a message are read at most (default 1000). */
    public Builder maxHeaderFields(int value) {
      this.maxHeaderFields = positive("maxHeaderFields", value);
      return this;
    }

    /** The longest header field of a message read, in bytes (default 128 KiB). */
    public Builder maxHeaderBytes(int value) {
      this.maxHeaderBytes = positive("maxHeaderBytes", value);
      return this;
    }

    /** How many distinct author domains are collected at most (default 32). */
    public Builder maxDomains(int value) {
      this.maxDomains = positive("maxDomains", value);
      return this;
    }

    /** The extractor. */
    public AuthorDomainExtractor build() {
      return new AuthorDomainExtractor(this);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
