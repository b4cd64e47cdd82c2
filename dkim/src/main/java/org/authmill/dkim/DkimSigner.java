package org.authmill.dkim;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.authmill.dns.DomainName;

/**
 * One DKIM signature to make (RFC 6376 §5): domain, selector, key and the choices of §3.5, built
 * once and reused for every message. Sign with {@link #newStream()}, or with {@link
 * DkimSignStream#of(List)} to make several signatures (say RSA and Ed25519) over one pass of the
 * body.
 *
 * <p>The header list defaults to the fields RFC 6376 §5.4.1 recommends plus the MIME and
 * message-identity fields; each present instance is signed, and the fields in {@link
 * #DEFAULT_OVERSIGN} are listed once more so that adding another instance later breaks the
 * signature (§8.15). Defaults: relaxed/relaxed, {@code t=} set, no {@code x=}, no {@code l=}.
 */
public final class DkimSigner {
  /** The fields signed by default, when present (RFC 6376 §5.4.1 and the MIME fields). */
  public static final List<String> DEFAULT_HEADERS =
      List.of(
          "From",
          "Reply-To",
          "Subject",
          "Date",
          "To",
          "Cc",
          "Message-ID",
          "In-Reply-To",
          "References",
          "Sender",
          "MIME-Version",
          "Content-Type",
          "Content-Transfer-Encoding",
          "Content-ID",
          "Content-Description",
          "Resent-Date",
          "Resent-From",
          "Resent-Sender",
          "Resent-To",
          "Resent-Cc",
          "Resent-Message-ID",
          "List-Id",
          "List-Help",
          "List-Unsubscribe",
          "List-Unsubscribe-Post",
          "List-Subscribe",
          "List-Post",
          "List-Owner",
          "List-Archive");

  /** The fields listed once more than present, so that none can be added (RFC 6376 §8.15). */
  public static final List<String> DEFAULT_OVERSIGN =
      List.of(
          "From",
          "Reply-To",
          "Subject",
          "Date",
          "To",
          "Cc",
          "Message-ID",
          "In-Reply-To",
          "References",
          "MIME-Version",
          "Content-Type",
          "Content-Transfer-Encoding",
          "List-Unsubscribe",
          "List-Unsubscribe-Post");

  final String domain;
  final String selector;
  final DkimPrivateKey key;
  final SignatureAlgorithm algorithm;
  final Canonicalization headerCanon;
  final Canonicalization bodyCanon;
  final List<String> headers;
  final Set<String> oversign;
  final boolean timestamp;
  final Duration expiry;
  final boolean bodyLength;
  final String identity;
  final boolean queryMethod;
  final boolean spacedHeaderList;
  final Clock clock;

  private DkimSigner(Builder b) {
    this.domain = b.domain;
    this.selector = b.selector;
    this.key = b.key;
    this.algorithm = b.algorithm == null ? b.key.algorithm() : b.algorithm;
    this.headerCanon = b.headerCanon;
    this.bodyCanon = b.bodyCanon;
    this.headers = b.headers;
    this.oversign = b.oversign;
    this.timestamp = b.timestamp;
    this.expiry = b.expiry;
    this.bodyLength = b.bodyLength;
    this.identity = b.identity;
    this.queryMethod = b.queryMethod;
    this.spacedHeaderList = b.spacedHeaderList;
    this.clock = b.clock;
  }

  /** A builder; domain, selector and key are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts signing one message with this signer alone. */
  public DkimSignStream newStream() {
    return DkimSignStream.of(List.of(this));
  }

  /** The signing domain ({@code d=}). */
  public String domain() {
    return domain;
  }

  /** The selector ({@code s=}). */
  public String selector() {
    return selector;
  }

  /** The algorithm ({@code a=}). */
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public String toString() {
    return "DkimSigner[d=" + domain + ", s=" + selector + ", a=" + algorithm.tag() + "]";
  }

  /** Settings of a {@link DkimSigner}: the DKIM-Signature tags of RFC 6376 §3.5 it writes. */
  public static final class Builder {
    private String domain;
    private String selector;
    private DkimPrivateKey key;
    private SignatureAlgorithm algorithm;
    private Canonicalization headerCanon = Canonicalization.RELAXED;
    private Canonicalization bodyCanon = Canonicalization.RELAXED;
    private List<String> headers = DEFAULT_HEADERS;
    private Set<String> oversign = lower(DEFAULT_OVERSIGN);
    private boolean timestamp = true;
    private Duration expiry;
    private boolean bodyLength;
    private String identity;
    private boolean queryMethod;
    private boolean spacedHeaderList;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The signing domain, {@code d=} (required); U-labels are written as A-labels. */
    public Builder domain(String domain) {
      Objects.requireNonNull(domain, "domain");
      this.domain = ParsedSignature.name(domain).map(DomainName::toString).orElse(domain);
      return this;
    }

    /** The selector, {@code s=} (required). */
    public Builder selector(String selector) {
      this.selector = Objects.requireNonNull(selector, "selector");
      return this;
    }

    /** The private key (required). */
    public Builder key(DkimPrivateKey key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /** The algorithm; by default the key's. Must suit the key. */
    public Builder algorithm(SignatureAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /** Header and body canonicalization, {@code c=} (default relaxed/relaxed). */
    public Builder canonicalization(Canonicalization header, Canonicalization body) {
      this.headerCanon = Objects.requireNonNull(header, "header");
      this.bodyCanon = Objects.requireNonNull(body, "body");
      return this;
    }

    /**
     * The header fields to sign, by name, as written into {@code h=}; every present instance is
     * signed. Must include From (RFC 6376 §5.4).
     */
    public Builder headers(List<String> names) {
      this.headers = List.copyOf(names);
      return this;
    }

    /** The listed fields that are signed once more than present (none: an empty list). */
    public Builder oversign(Collection<String> names) {
      this.oversign = lower(names);
      return this;
    }

    /** Whether to write {@code t=}, the signing time (default true). */
    public Builder timestamp(boolean timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** Writes {@code x=}, this long after the signing time (default: no expiry). */
    public Builder expiry(Duration expiry) {
      if (expiry.isNegative() || expiry.isZero()) {
        throw new IllegalArgumentException("expiry must be positive: " + expiry);
      }
      this.expiry = expiry;
      return this;
    }

    /**
     * Whether to write {@code l=}, the body length count (default false: RFC 6376 §8.2 explains why
     * it is risky).
     */
    public Builder bodyLength(boolean bodyLength) {
      this.bodyLength = bodyLength;
      return this;
    }

    /**
     * The agent or user identifier, {@code i=}, within the domain (default: none written), as plain
     * text: it is written dkim-quoted-printable (RFC 6376 §2.11), so {@code =}, {@code ;}, spaces
     * and UTF-8 octets are escaped.
     */
    public Builder identity(String identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** Whether to write {@code q=dns/txt}, the default query method (default false). */
    public Builder queryMethod(boolean queryMethod) {
      this.queryMethod = queryMethod;
      return this;
    }

    /**
     * Whether to write {@code h=} with spaces around the colons ({@code from : to}), as dkimpy and
     * RFC 8463 Appendix A do (default false: {@code From:To}).
     */
    public Builder spacedHeaderList(boolean spaced) {
      this.spacedHeaderList = spaced;
      return this;
    }

    /** The clock for {@code t=} and {@code x=} (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Checks the settings; throws {@link IllegalArgumentException} naming what is wrong. */
    public DkimSigner build() {
      if (domain == null || selector == null || key == null) {
        throw new IllegalArgumentException("a signer needs a domain, a selector and a key");
      }
      if (!ParsedSignature.isAsciiName(domain)) {
        throw new IllegalArgumentException("invalid signing domain: " + domain);
      }
      if (!ParsedSignature.isAsciiName(selector)) {
        throw new IllegalArgumentException("invalid selector: " + selector);
      }
      if (algorithm != null && !algorithm.keyType().equals(key.algorithm().keyType())) {
        throw new IllegalArgumentException(
            "algorithm "
                + algorithm.tag()
                + " needs a "
                + algorithm.keyType()
                + " key, not "
                + key);
      }
      List<String> unique = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      for (String name : headers) {
        if (!isFieldName(name)) {
          throw new IllegalArgumentException("invalid header field name: \"" + name + "\"");
        }
        if (seen.add(name.toLowerCase(Locale.ROOT))) {
          unique.add(name);
        }
      }
      if (!seen.contains("from")) {
        throw new IllegalArgumentException("the header list must include From (RFC 6376 §5.4)");
      }
      headers = List.copyOf(unique);
      if (identity != null) {
        int at = identity.lastIndexOf('@');
        if (at < 0 || !ParsedSignature.isWithin(identity.substring(at + 1), domain)) {
          throw new IllegalArgumentException(
              "identity " + identity + " must be [local-part]@domain within " + domain);
        }
        for (char c : identity.toCharArray()) {
          if (c < ' ' || c == 0x7f) {
            throw new IllegalArgumentException("identity " + identity + " has a control character");
          }
        }
      }
      return new DkimSigner(this);
    }

    private static boolean isFieldName(String name) {
      if (name.isEmpty()) {
        return false;
      }
      for (char c : name.toCharArray()) {
        if (c <= ' ' || c >= 0x7f || c == ':') {
          return false;
        }
      }
      return true;
    }

    private static Set<String> lower(Collection<String> names) {
      Set<String> out = new LinkedHashSet<>();
      for (String name : names) {
        out.add(name.toLowerCase(Locale.ROOT));
      }
      return Set.copyOf(out);
    }
  }
}
