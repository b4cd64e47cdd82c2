package org.authmill.arc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.authmill.dkim.DkimKeyRecord;
import org.authmill.dkim.MessageSink;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.ParseResult;

/**
 * Verifies ARC chains (RFC 8617 §5.2): immutable, thread-safe and shared by all messages. Each
 * message gets its own streaming {@link ArcVerifyStream} from {@link #newStream()}; {@link
 * #verify(InputStream)} verifies a whole message from a stream.
 *
 * <p>Bounded like the DKIM verifier: the header section kept in memory is limited in octets and
 * fields, at most 50 sets are evaluated (more make the chain fail, RFC 8617 §4.2.1), key lookups
 * are made once per distinct key name, and the body is hashed as it streams, never kept.
 */
public final class ArcVerifier {
  /** The header section kept per message, in octets, by default. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;

  /** Header fields kept per message by default. */
  public static final int DEFAULT_MAX_HEADER_FIELDS = 2000;

  /** RFC 8301 §3.2: verifiers must not accept RSA keys below 1024 bits. */
  public static final int MIN_RSA_KEY_BITS = 1024;

  /** Larger RSA keys are not evaluated (a denial-of-service bound). */
  public static final int MAX_RSA_KEY_BITS = 8192;

  private final DnsResolver resolver;
  private final java.time.Clock clock;
  private final int maxHeaderBytes;
  private final int maxHeaderFields;
  private final Function<String, ParseResult<DkimKeyRecord>> keyParser;

  private ArcVerifier(Builder b) {
    this.resolver = Objects.requireNonNull(b.resolver, "resolver");
    this.clock = b.clock;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxHeaderFields = b.maxHeaderFields;
    this.keyParser = b.keyParser;
  }

  /** A builder over the resolver that key records are looked up with. */
  public static Builder builder(DnsResolver resolver) {
    return new Builder(resolver);
  }

  /** Starts verifying one message. */
  public ArcVerifyStream newStream() {
    return new ArcVerifyStream(this);
  }

  /**
   * Verifies a whole message read from a stream (CRLF line ends), blocking while reading; the key
   * lookups run while the body is read. The stream is not closed. A header field longer than the
   * header section's limit makes the chain fail, as any header section over its limit does. The
   * stage completes exceptionally with an {@link UncheckedIOException} only if reading fails.
   */
  public CompletionStage<ArcOutcome> verify(InputStream message) {
    ArcVerifyStream verification = newStream();
    try {
      MessageSink.feed(message, verification.sink(), maxHeaderBytes);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("a header field is longer than")) {
        return CompletableFuture.completedFuture(
            ArcOutcome.fail(
                e.getMessage()
                    + ", over the header section's limit; the ARC chain was not verified",
                0,
                java.util.List.of()));
      }
      return CompletableFuture.failedFuture(new UncheckedIOException(e));
    }
    return verification.finish();
  }

  DnsResolver resolver() {
    return resolver;
  }

  java.time.Clock clock() {
    return clock;
  }

  int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  int maxHeaderFields() {
    return maxHeaderFields;
  }

  ParseResult<DkimKeyRecord> parseKey(String text) {
    return keyParser.apply(text);
  }

  /** Settings of an {@link ArcVerifier}. */
  public static final class Builder {
    private DnsResolver resolver;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private int maxHeaderFields = DEFAULT_MAX_HEADER_FIELDS;
    private Function<String, ParseResult<DkimKeyRecord>> keyParser = DkimKeyRecord::parse;

    private Builder(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The time an ARC-Message-Signature's {@code x=} is checked against (default: now). */
    public Builder clock(java.time.Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Octets of header section kept per message (default 1 MiB). */
    public Builder maxHeaderBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxHeaderBytes must be at least 1: " + bytes);
      }
      this.maxHeaderBytes = bytes;
      return this;
    }

    /** Header fields kept per message (default {@value #DEFAULT_MAX_HEADER_FIELDS}). */
    public Builder maxHeaderFields(int fields) {
      if (fields < 1) {
        throw new IllegalArgumentException("maxHeaderFields must be at least 1: " + fields);
      }
      this.maxHeaderFields = fields;
      return this;
    }

    /** How key record text becomes a key (default {@link DkimKeyRecord#parse}), e.g. cached. */
    public Builder keyParser(Function<String, ParseResult<DkimKeyRecord>> keyParser) {
      this.keyParser = Objects.requireNonNull(keyParser, "keyParser");
      return this;
    }

    public ArcVerifier build() {
      return new ArcVerifier(this);
    }
  }
}
