package org.authmill.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.ParseResult;

/**
 * Verifies DKIM signatures (RFC 6376 §6; RSA per RFC 8301, Ed25519 per RFC 8463): immutable,
 * thread-safe, and shared by all messages. Each message gets its own streaming {@link
 * DkimVerifyStream} from {@link #newStream()}; {@link #verify(InputStream)} verifies a whole
 * message from a stream.
 *
 * <p>Every limit is a named bound checked before the work it limits: signatures evaluated per
 * message, RSA key sizes, and the size of the header section kept in memory. The body is never
 * kept: memory does not grow with it.
 */
public final class DkimVerifier {
  /** Signatures evaluated per message by default; later ones get {@link DkimResult#POLICY}. */
  public static final int DEFAULT_MAX_SIGNATURES = 10;

  /** RFC 8301 §3.2: verifiers must not accept RSA keys below 1024 bits. */
  public static final int DEFAULT_MIN_RSA_KEY_BITS = 1024;

  /** Larger RSA keys are not evaluated (a denial-of-service bound; RFC 8301 §3.2 needs 4096). */
  public static final int DEFAULT_MAX_RSA_KEY_BITS = 8192;

  /** The header section kept per message, in octets, by default. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;

  /** Header fields kept per message by default. */
  public static final int DEFAULT_MAX_HEADER_FIELDS = 2000;

  /**
   * How far a signature's {@code t=} may lie in the future before it is refused (RFC 6376 §3.5:
   * such signatures may be ignored), by default: five minutes, as OpenDKIM allows.
   */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

  private final DnsResolver resolver;
  private final Clock clock;
  private final int maxSignatures;
  private final int minRsaKeyBits;
  private final int maxRsaKeyBits;
  private final int maxHeaderBytes;
  private final int maxHeaderFields;
  private final Duration clockSkew;
  private final Function<String, ParseResult<DkimKeyRecord>> keyParser;

  private DkimVerifier(Builder b) {
    this.resolver = Objects.requireNonNull(b.resolver, "resolver");
    this.clock = b.clock;
    this.maxSignatures = b.maxSignatures;
    this.minRsaKeyBits = b.minRsaKeyBits;
    this.maxRsaKeyBits = b.maxRsaKeyBits;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxHeaderFields = b.maxHeaderFields;
    this.clockSkew = b.clockSkew;
    this.keyParser = b.keyParser;
  }

  /** A builder for a verifier that looks keys up (RFC 6376 §3.6.2) in {@code resolver}. */
  public static Builder builder(DnsResolver resolver) {
    return new Builder(resolver);
  }

  /** Starts verifying one message. */
  public DkimVerifyStream newStream() {
    return new DkimVerifyStream(this);
  }

  /**
   * Verifies a whole message read from a stream (line ends CRLF, as on the wire), blocking the
   * caller while reading; the key lookups run while the body is read. The stream is not closed. The
   * stage completes exceptionally with an {@link UncheckedIOException} if reading fails.
   */
  public CompletionStage<List<DkimOutcome>> verify(InputStream message) {
    DkimVerifyStream verification = newStream();
    try {
      MessageSink.feed(message, verification.sink(), maxHeaderBytes);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new UncheckedIOException(e));
    }
    return verification.finish();
  }

  DnsResolver resolver() {
    return resolver;
  }

  Clock clock() {
    return clock;
  }

  int maxSignatures() {
    return maxSignatures;
  }

  int minRsaKeyBits() {
    return minRsaKeyBits;
  }

  int maxRsaKeyBits() {
    return maxRsaKeyBits;
  }

  int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  int maxHeaderFields() {
    return maxHeaderFields;
  }

  Duration clockSkew() {
    return clockSkew;
  }

  ParseResult<DkimKeyRecord> parseKey(String text) {
    return keyParser.apply(text);
  }

  /**
   * Settings of a {@link DkimVerifier}: its resolver, clock and the limits of RFC 6376 §6.1 and RFC
   * 8301 §3.2.
   */
  public static final class Builder {
    private final DnsResolver resolver;
    private Clock clock = Clock.systemUTC();
    private int maxSignatures = DEFAULT_MAX_SIGNATURES;
    private int minRsaKeyBits = DEFAULT_MIN_RSA_KEY_BITS;
    private int maxRsaKeyBits = DEFAULT_MAX_RSA_KEY_BITS;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private int maxHeaderFields = DEFAULT_MAX_HEADER_FIELDS;
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;
    private Function<String, ParseResult<DkimKeyRecord>> keyParser = DkimKeyRecord::parse;

    private Builder(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The time that {@code x=} expirations are checked against (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Signatures evaluated per message (default {@value #DEFAULT_MAX_SIGNATURES}). */
    public Builder maxSignatures(int maxSignatures) {
      this.maxSignatures = positive("maxSignatures", maxSignatures);
      return this;
    }

    /** Smallest RSA key accepted (default 1024; lower values are refused, RFC 8301 §3.2). */
    public Builder minRsaKeyBits(int bits) {
      if (bits < DEFAULT_MIN_RSA_KEY_BITS) {
        throw new IllegalArgumentException(
            "minRsaKeyBits below 1024 is not allowed by RFC 8301 §3.2: " + bits);
      }
      this.minRsaKeyBits = bits;
      return this;
    }

    /** Largest RSA key evaluated (default 8192). */
    public Builder maxRsaKeyBits(int bits) {
      if (bits < 4096) {
        throw new IllegalArgumentException(
            "maxRsaKeyBits below 4096 breaks RFC 8301 §3.2 (verifiers must handle 4096): " + bits);
      }
      this.maxRsaKeyBits = bits;
      return this;
    }

    /** Octets of header section kept per message (default 1 MiB). */
    public Builder maxHeaderBytes(int bytes) {
      this.maxHeaderBytes = positive("maxHeaderBytes", bytes);
      return this;
    }

    /** Header fields kept per message (default {@value #DEFAULT_MAX_HEADER_FIELDS}). */
    public Builder maxHeaderFields(int fields) {
      this.maxHeaderFields = positive("maxHeaderFields", fields);
      return this;
    }

    /**
     * How far in the future a signature's {@code t=} may be before the signature is refused with
     * {@link DkimResult#PERMERROR} (default 5 minutes), for clocks that disagree a little.
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative()) {
        throw new IllegalArgumentException("clockSkew must not be negative: " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * How key record text becomes a key (default {@link DkimKeyRecord#parse}); a filter passes a
     * caching function here.
     */
    public Builder keyParser(Function<String, ParseResult<DkimKeyRecord>> keyParser) {
      this.keyParser = Objects.requireNonNull(keyParser, "keyParser");
      return this;
    }

    public DkimVerifier build() {
      if (minRsaKeyBits > maxRsaKeyBits) {
        throw new IllegalArgumentException(
            "minRsaKeyBits " + minRsaKeyBits + " exceeds maxRsaKeyBits " + maxRsaKeyBits);
      }
      return new DkimVerifier(this);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1: " + value);
      }
      return value;
    }
  }
}
