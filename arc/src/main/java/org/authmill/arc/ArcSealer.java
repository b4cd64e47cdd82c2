package org.authmill.arc;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.authmill.dkim.DkimPrimitives;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSigner;
import org.authmill.dkim.MessageSink;

/**
 * Adds ARC sets to messages (RFC 8617 §5.1): immutable, thread-safe and shared by all messages.
 * Each message gets an {@link ArcSealStream} from {@link #newStream()}, which verifies the chain
 * already on the message with the configured {@link ArcVerifier}, and then writes the
 * ARC-Authentication-Results from the message's Authentication-Results fields of this sealer's
 * authserv-id, the ARC-Message-Signature (relaxed/relaxed) and the ARC-Seal with {@code cv=} from
 * the verification. RSA ({@code rsa-sha256}) and Ed25519 ({@code ed25519-sha256}) keys.
 *
 * <p>On a chain whose newest seal already records {@code cv=fail}, or that has 50 sets, no set is
 * added (§5.1 step 1, §4.2.1). On a chain this sealer finds failing, the set is added with {@code
 * cv=fail}, and its seal covers only the new set (§5.1.2).
 *
 * <p>Header fields are written as the ValiMail suite's reference signer writes them (tags in
 * alphabetical order, one space after each semicolon, no optional tags), so that the suite's
 * expected signatures can be reproduced.
 */
public final class ArcSealer {
  /** The fields the ARC-Message-Signature signs by default, when present. */
  public static final List<String> DEFAULT_HEADERS = defaultHeaders();

  private final String domain;
  private final String selector;
  private final DkimPrivateKey key;
  private final String authservId;
  private final List<String> headers;
  private final boolean onlyPresent;
  private final Clock clock;
  private final ArcVerifier verifier;

  private ArcSealer(Builder b) {
    this.domain = b.domain;
    this.selector = b.selector;
    this.key = b.key;
    this.authservId = b.authservId;
    this.headers = b.headers;
    this.onlyPresent = b.onlyPresent;
    this.clock = b.clock;
    this.verifier = b.verifier;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts sealing one message. */
  public ArcSealStream newStream() {
    return new ArcSealStream(this, verifier.newStream());
  }

  /**
   * Seals a whole message read from a stream (CRLF line ends), blocking while reading; the stream
   * is not closed.
   */
  public CompletionStage<ArcSealOutcome> seal(InputStream message) throws IOException {
    ArcSealStream stream = newStream();
    MessageSink.feed(message, stream.sink(), ArcVerifier.DEFAULT_MAX_HEADER_BYTES);
    return stream.finish();
  }

  String domain() {
    return domain;
  }

  String selector() {
    return selector;
  }

  DkimPrivateKey key() {
    return key;
  }

  String authservId() {
    return authservId;
  }

  List<String> headers() {
    return headers;
  }

  boolean onlyPresent() {
    return onlyPresent;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "ArcSealer[d=" + domain + ", s=" + selector + ", " + key.algorithm().tag() + "]";
  }

  private static List<String> defaultHeaders() {
    List<String> names = new ArrayList<>();
    for (String name : DkimSigner.DEFAULT_HEADERS) {
      names.add(name.toLowerCase(Locale.ROOT));
    }
    names.add("dkim-signature");
    return List.copyOf(names);
  }

  /** Settings of an {@link ArcSealer}: domain, selector, key, authserv-id and verifier. */
  public static final class Builder {
    private String domain;
    private String selector;
    private DkimPrivateKey key;
    private String authservId;
    private List<String> headers = DEFAULT_HEADERS;
    private boolean onlyPresent = true;
    private Clock clock = Clock.systemUTC();
    private ArcVerifier verifier;

    private Builder() {}

    /** The sealing domain {@code d=} (required). */
    public Builder domain(String domain) {
      this.domain = checkName("domain", domain);
      return this;
    }

    /** The key selector {@code s=} (required). */
    public Builder selector(String selector) {
      this.selector = checkName("selector", selector);
      return this;
    }

    /** The private key (required); its algorithm is the seal's. */
    public Builder key(DkimPrivateKey key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * The authserv-id (RFC 8601 §2.5) whose Authentication-Results the ARC-Authentication-Results
     * records (required).
     */
    public Builder authservId(String authservId) {
      Objects.requireNonNull(authservId, "authservId");
      if (authservId.isBlank() || authservId.chars().anyMatch(c -> c <= ' ' || c == ';')) {
        throw new IllegalArgumentException("invalid authserv-id: \"" + authservId + "\"");
      }
      this.authservId = authservId;
      return this;
    }

    /**
     * The fields the ARC-Message-Signature signs, in this order, listed as given (default: {@link
     * #DEFAULT_HEADERS}, each listed once per instance present). ARC-Seal may not be signed (RFC
     * 8617 §4.1.2).
     */
    public Builder headers(List<String> names) {
      List<String> lower = new ArrayList<>();
      for (String name : names) {
        if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c > '~' || c == ':')) {
          throw new IllegalArgumentException("invalid header field name: \"" + name + "\"");
        }
        String l = name.toLowerCase(Locale.ROOT);
        if (l.equals(ArcSealField.NAME)) {
          throw new IllegalArgumentException(
              "the ARC-Message-Signature may not sign ARC-Seal (RFC 8617 §4.1.2)");
        }
        lower.add(l);
      }
      if (lower.isEmpty()) {
        throw new IllegalArgumentException("no header fields to sign");
      }
      this.headers = List.copyOf(lower);
      this.onlyPresent = false;
      return this;
    }

    /** The clock for {@code t=} (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The verifier of the chain already on the message (required). */
    public Builder verifier(ArcVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    public ArcSealer build() {
      Objects.requireNonNull(domain, "domain is required");
      Objects.requireNonNull(selector, "selector is required");
      Objects.requireNonNull(key, "key is required");
      Objects.requireNonNull(authservId, "authservId is required");
      Objects.requireNonNull(verifier, "verifier is required");
      return new ArcSealer(this);
    }

    private static String checkName(String what, String value) {
      Objects.requireNonNull(value, what);
      String lower = value.toLowerCase(Locale.ROOT);
      if (!DkimPrimitives.isDomainName(lower)) {
        throw new IllegalArgumentException("invalid " + what + ": \"" + value + "\"");
      }
      return lower;
    }
  }
}
