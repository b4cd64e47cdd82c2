package org.authmill.dkim;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.ParseResult;

/**
 * The verification of one message's DKIM signatures (RFC 6376 §6), fed as a milter receives it: raw
 * header fields one at a time, then {@link #endOfHeaders()} (which starts the key lookups, so that
 * they overlap the body transfer), then body chunks split anywhere, then {@link #finish()}. One
 * outcome per DKIM-Signature header field, in header order. Not thread-safe: one thread (or one
 * event loop context) at a time.
 *
 * <p>Header fields are the raw octets {@code Name:value} with their CRLF folding exactly as
 * received (a trailing CRLF is allowed and ignored). Body chunks are hashed as they come and never
 * kept.
 */
public final class DkimVerifyStream {
  private enum State {
    HEADERS,
    BODY,
    FINISHED
  }

  private final DkimVerifier verifier;
  private final HeaderStore headers;
  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, CompletableFuture<DnsAnswer<String>>> lookups = new HashMap<>();
  private BodyCanonicalizer simple;
  private BodyCanonicalizer relaxed;
  private State state = State.HEADERS;

  DkimVerifyStream(DkimVerifier verifier) {
    this.verifier = verifier;
    this.headers = new HeaderStore(verifier.maxHeaderBytes(), verifier.maxHeaderFields());
  }

  /** One signature being verified. */
  private static final class Entry {
    final ParsedSignature sig;
    DkimOutcome decided;
    byte[] headerHash;
    BodyHashSink body;
    CompletableFuture<DnsAnswer<String>> key;

    Entry(ParsedSignature sig) {
      this.sig = sig;
    }
  }

  /** Adds one raw header field. */
  public void header(byte[] field) {
    header(field, 0, field.length);
  }

  /** Adds one raw header field from part of an array. */
  public void header(byte[] field, int offset, int length) {
    requireState(State.HEADERS, "header");
    headers.add(field, offset, length);
  }

  /**
   * Ends the header section: parses the signatures and starts their key lookups. Called implicitly
   * by the first body chunk or {@link #finish()} if not called before.
   */
  public void endOfHeaders() {
    requireState(State.HEADERS, "endOfHeaders");
    state = State.BODY;
    if (headers.overflow()) {
      String reason =
          "header section exceeds the limit of "
              + verifier.maxHeaderBytes()
              + " octets or "
              + verifier.maxHeaderFields()
              + " fields: its "
              + headers.signatureFieldsSeen()
              + " DKIM-Signature fields were not verified";
      // one outcome per signature, but no more than maxSignatures: a flood stays bounded
      int reported = Math.min(headers.signatureFieldsSeen(), verifier.maxSignatures());
      for (int i = 0; i < reported; i++) {
        Entry entry = new Entry(null);
        entry.decided =
            new DkimOutcome(
                DkimResult.POLICY,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                reason,
                Optional.empty(),
                OptionalLong.empty(),
                false,
                Optional.empty());
        entries.add(entry);
      }
      return;
    }
    long now = verifier.clock().instant().getEpochSecond();
    HeaderCanonicalizer canonicalizer = new HeaderCanonicalizer();
    int evaluated = 0;
    for (int i = 0; i < headers.size(); i++) {
      if (!headers.name(i).equals(ParsedSignature.FIELD_NAME)) {
        continue;
      }
      ParsedSignature sig = ParsedSignature.parse(headers.field(i));
      Entry entry = new Entry(sig);
      entries.add(entry);
      if (++evaluated > verifier.maxSignatures()) {
        entry.decided =
            outcome(
                sig,
                DkimResult.POLICY,
                0,
                "not evaluated: more than "
                    + verifier.maxSignatures()
                    + " signatures on the message");
        continue;
      }
      if (sig.problem != null) {
        entry.decided = outcome(sig, sig.problem, 0, sig.problemReason);
        continue;
      }
      if (sig.timestamp >= 0 && sig.timestamp - now > verifier.clockSkew().getSeconds()) {
        entry.decided =
            outcome(
                sig,
                DkimResult.PERMERROR,
                0,
                "signature timestamp t="
                    + Instant.ofEpochSecond(sig.timestamp)
                    + " is in the future (RFC 6376 §3.5; more than "
                    + verifier.clockSkew().getSeconds()
                    + " s ahead of this verifier's clock)");
        continue;
      }
      if (sig.expiry >= 0 && now > sig.expiry) {
        entry.decided =
            outcome(
                sig,
                DkimResult.FAIL,
                0,
                "signature expired at " + Instant.ofEpochSecond(sig.expiry) + " (x=)");
        continue;
      }
      MessageDigest digest = Crypto.sha256();
      for (byte[] field : headers.select(sig.signedHeaders)) {
        canonicalizer.update(digest, sig.headerCanon, field, false);
      }
      canonicalizer.update(
          digest, sig.headerCanon, HeaderCanonicalizer.withoutSignatureValue(sig.rawField), true);
      entry.headerHash = digest.digest();
      entry.body = canonicalizer(sig.bodyCanon).sink(sig.bodyLength);
      entry.key = lookups.computeIfAbsent(sig.keyName(), this::lookup);
    }
  }

  /** Starts the key lookup; a resolver that throws is a temporary failure, as a timeout is. */
  private CompletableFuture<DnsAnswer<String>> lookup(String name) {
    try {
      return verifier
          .resolver()
          .txt(name)
          .toCompletableFuture()
          .exceptionally(e -> new DnsAnswer.TempFailure<>(describe(e)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new DnsAnswer.TempFailure<>(describe(e)));
    }
  }

  private static String describe(Throwable e) {
    Throwable cause =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  /** Adds a chunk of the body, in wire form (CRLF line ends). */
  public void body(byte[] bytes, int offset, int length) {
    if (state == State.HEADERS) {
      endOfHeaders();
    }
    requireState(State.BODY, "body");
    if (simple != null) {
      simple.update(bytes, offset, length);
    }
    if (relaxed != null) {
      relaxed.update(bytes, offset, length);
    }
  }

  /** Adds a whole array as a body chunk. */
  public void body(byte[] bytes) {
    body(bytes, 0, bytes.length);
  }

  /** Adds the remaining bytes of a buffer (heap or direct) as a body chunk, consuming them. */
  public void body(ByteBuffer chunk) {
    if (state == State.HEADERS) {
      endOfHeaders();
    }
    requireState(State.BODY, "body");
    if (simple != null && relaxed != null) {
      ByteBuffer copy = chunk.duplicate();
      simple.update(copy);
      relaxed.update(chunk);
    } else if (simple != null) {
      simple.update(chunk);
    } else if (relaxed != null) {
      relaxed.update(chunk);
    } else {
      chunk.position(chunk.limit());
    }
  }

  /**
   * Ends the message and completes, once the key lookups are answered, with one outcome per
   * DKIM-Signature header field in header order (an empty list: the message result is {@link
   * DkimResult#NONE}); when the header section was over its limits, with at most {@code
   * maxSignatures} {@link DkimResult#POLICY} outcomes. It never completes exceptionally.
   */
  public CompletionStage<List<DkimOutcome>> finish() {
    if (state == State.HEADERS) {
      endOfHeaders();
    }
    requireState(State.BODY, "finish");
    state = State.FINISHED;
    if (simple != null) {
      simple.finish();
    }
    if (relaxed != null) {
      relaxed.finish();
    }
    if (keysAnswered()) {
      // the usual case with a warm cache: evaluate now, without a chain of futures
      DkimOutcome[] outcomes = new DkimOutcome[entries.size()];
      for (int i = 0; i < outcomes.length; i++) {
        Entry entry = entries.get(i);
        outcomes[i] =
            entry.decided != null ? entry.decided : evaluateSafely(entry, entry.key.getNow(null));
      }
      return CompletableFuture.completedFuture(List.of(outcomes));
    }
    List<CompletableFuture<DkimOutcome>> outcomes = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      if (entry.decided != null) {
        outcomes.add(CompletableFuture.completedFuture(entry.decided));
      } else {
        outcomes.add(entry.key.thenApply(answer -> evaluateSafely(entry, answer)));
      }
    }
    return CompletableFuture.allOf(outcomes.toArray(new CompletableFuture<?>[0]))
        .thenApply(done -> outcomes.stream().map(CompletableFuture::join).toList());
  }

  /** True when every key lookup has completed normally (lookups never complete exceptionally). */
  private boolean keysAnswered() {
    for (Entry entry : entries) {
      if (entry.decided == null && (!entry.key.isDone() || entry.key.isCompletedExceptionally())) {
        return false;
      }
    }
    return true;
  }

  MessageSink sink() {
    return new MessageSink() {
      @Override
      public void header(byte[] field, int offset, int length) {
        DkimVerifyStream.this.header(field, offset, length);
      }

      @Override
      public void endOfHeaders() {
        DkimVerifyStream.this.endOfHeaders();
      }

      @Override
      public void body(byte[] bytes, int offset, int length) {
        DkimVerifyStream.this.body(bytes, offset, length);
      }
    };
  }

  private BodyCanonicalizer canonicalizer(Canonicalization canon) {
    if (canon == Canonicalization.SIMPLE) {
      if (simple == null) {
        simple = BodyCanonicalizer.of(canon);
      }
      return simple;
    }
    if (relaxed == null) {
      relaxed = BodyCanonicalizer.of(canon);
    }
    return relaxed;
  }

  /**
   * {@link #evaluate}, with an unexpected exception (say from a caching key parser) turned into a
   * temperror outcome: finish() completes with outcomes, never exceptionally.
   */
  private DkimOutcome evaluateSafely(Entry entry, DnsAnswer<String> answer) {
    try {
      return evaluate(entry, answer);
    } catch (RuntimeException e) {
      return outcome(
          entry.sig,
          DkimResult.TEMPERROR,
          0,
          "internal error while verifying with the key at "
              + entry.sig.keyName()
              + ": "
              + describe(e));
    }
  }

  /** RFC 6376 §6.1.2 and §6.1.3, once the key record is known. */
  private DkimOutcome evaluate(Entry entry, DnsAnswer<String> answer) {
    ParsedSignature sig = entry.sig;
    String name = sig.keyName();
    if (answer instanceof DnsAnswer.TempFailure<String> failure) {
      return outcome(
          sig, DkimResult.TEMPERROR, 0, "key lookup for " + name + " failed: " + failure.reason());
    }
    if (answer.isEmpty()) {
      String why =
          answer instanceof DnsAnswer.NxDomain<String>
              ? " (the name does not exist: publish the selector's TXT record)"
              : " (the name has no TXT record)";
      return outcome(sig, DkimResult.PERMERROR, 0, "no key for " + name + why);
    }
    DkimKeyRecord key = null;
    String invalid = null;
    for (String text : answer.values()) {
      ParseResult<DkimKeyRecord> parsed = verifier.parseKey(text);
      if (parsed.value().isPresent()) {
        key = parsed.value().get();
        break;
      }
      if (invalid == null) {
        invalid = parsed.problem().orElseThrow();
      }
    }
    if (key == null) {
      return outcome(sig, DkimResult.PERMERROR, 0, "invalid key at " + name + ": " + invalid);
    }
    boolean testing = key.testing();
    if (key.revoked()) {
      return outcome(sig, DkimResult.FAIL, 0, "key revoked (empty p= at " + name + ")", testing);
    }
    int bits = key.keyBits();
    if (!key.keyType().equals(sig.algorithm.keyType())) {
      return outcome(
          sig,
          DkimResult.PERMERROR,
          bits,
          "key at "
              + name
              + " is k="
              + key.keyType()
              + ", but the signature is a="
              + sig.algorithmTag,
          testing);
    }
    if (!key.allowsHash("sha256")) {
      return outcome(
          sig,
          DkimResult.PERMERROR,
          bits,
          "key at "
              + name
              + " does not allow sha256 (h="
              + String.join(":", key.hashAlgorithms())
              + ")",
          testing);
    }
    if (!key.allowsEmail()) {
      return outcome(
          sig,
          DkimResult.PERMERROR,
          bits,
          "key at " + name + " is not for email (s=" + String.join(":", key.serviceTypes()) + ")",
          testing);
    }
    if (key.strict()) {
      if (!sig.identityDomain().equalsIgnoreCase(sig.domain)) {
        return outcome(
            sig,
            DkimResult.FAIL,
            bits,
            "key at " + name + " has t=s, but i= uses a subdomain of d=" + sig.domain,
            testing);
      }
    }
    if (sig.algorithm == SignatureAlgorithm.RSA_SHA256) {
      if (bits < verifier.minRsaKeyBits()) {
        return outcome(
            sig,
            DkimResult.FAIL,
            bits,
            "RSA key of "
                + bits
                + " bits is below the minimum of "
                + verifier.minRsaKeyBits()
                + " (RFC 8301 §3.2)",
            testing);
      }
      if (bits > verifier.maxRsaKeyBits()) {
        return outcome(
            sig,
            DkimResult.POLICY,
            bits,
            "RSA key of " + bits + " bits exceeds the limit of " + verifier.maxRsaKeyBits(),
            testing);
      }
    }
    BodyHashSink body = entry.body;
    if (sig.bodyLength >= 0 && sig.bodyLength > body.length()) {
      return outcome(
          sig,
          DkimResult.FAIL,
          bits,
          "body length l=" + sig.bodyLength + " exceeds the body (" + body.length() + " octets)",
          testing);
    }
    if (!MessageDigest.isEqual(body.hash(), sig.bodyHash)) {
      return outcome(sig, DkimResult.FAIL, bits, "body hash did not verify", testing);
    }
    boolean verified =
        sig.algorithm == SignatureAlgorithm.RSA_SHA256
            ? Crypto.verifyRsa(key.rsaKey(), entry.headerHash, sig.signature)
            : Crypto.verifyEd25519(key.ed25519Key(), entry.headerHash, sig.signature);
    if (!verified) {
      return outcome(
          sig, DkimResult.FAIL, bits, "signature did not verify (headers changed?)", testing);
    }
    String reason = "signature verified";
    if (sig.bodyLength >= 0 && body.length() > sig.bodyLength) {
      reason +=
          "; only the first "
              + sig.bodyLength
              + " octets of the body are signed (l=), "
              + (body.length() - sig.bodyLength)
              + " are not";
    }
    return outcome(sig, DkimResult.PASS, bits, reason, testing);
  }

  private static DkimOutcome outcome(ParsedSignature sig, DkimResult result, int bits, String why) {
    return outcome(sig, result, bits, why, false);
  }

  private static DkimOutcome outcome(
      ParsedSignature sig, DkimResult result, int bits, String why, boolean testing) {
    String reason = testing ? why + "; the key is in testing mode (t=y)" : why;
    return new DkimOutcome(
        result,
        present(sig.domain),
        present(sig.selector),
        present(sig.algorithmTag),
        bits,
        reason,
        present(sig.identity),
        sig.bodyLength >= 0 ? OptionalLong.of(sig.bodyLength) : OptionalLong.empty(),
        testing,
        present(sig.signatureData));
  }

  /** A tag value a signature had; "" where it had none (or was not read that far). */
  private static Optional<String> present(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private void requireState(State expected, String call) {
    if (state != expected) {
      throw new IllegalStateException(call + "() called after " + describe(state));
    }
  }

  private static String describe(State state) {
    return switch (state) {
      case HEADERS -> "the header section started";
      case BODY -> "endOfHeaders()";
      case FINISHED -> "finish()";
    };
  }
}
