package org.authmill.arc;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.authmill.dkim.Canonicalization;
import org.authmill.dkim.DkimKeyRecord;
import org.authmill.dkim.DkimPrimitives;
import org.authmill.dkim.MessageSink;
import org.authmill.dkim.SignatureAlgorithm;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.ParseResult;

/**
 * The verification of one message's ARC chain (RFC 8617 §5.2), fed as a milter receives it: raw
 * header fields, {@link #endOfHeaders()} (which checks the chain's structure and starts the key
 * lookups, so that they overlap the body), body chunks split anywhere, then {@link #finish()}. Not
 * thread-safe.
 *
 * <p>Steps: (1) no ARC header field: {@code none}; (2) a malformed field, a missing, duplicated or
 * out-of-range instance: {@code fail}; (3) the newest ARC-Message-Signature must verify; (4) from
 * the newest down, no seal may record {@code cv=fail}, instance 1 must record {@code none} and the
 * others {@code pass}, and every ARC-Seal must verify over the sets up to its own (§5.1.1); (5) the
 * older ARC-Message-Signatures are verified to find the oldest that still passes.
 */
public final class ArcVerifyStream {
  private enum State {
    HEADERS,
    BODY,
    FINISHED
  }

  private final ArcVerifier verifier;
  private final HeaderList headers;
  private final Map<String, DkimPrimitives.BodyHash> bodies = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<DnsAnswer<String>>> lookups = new HashMap<>();
  private State state = State.HEADERS;
  private ArcChain chain;
  private ArcOutcome decided;
  private byte[][] signatureHashes;
  private byte[][] sealHashes;
  private DkimPrimitives.BodyHash[] signatureBodies;
  private List<CompletableFuture<DnsAnswer<String>>> signatureKeys;
  private List<CompletableFuture<DnsAnswer<String>>> sealKeys;

  ArcVerifyStream(ArcVerifier verifier) {
    this.verifier = verifier;
    this.headers = new HeaderList(verifier.maxHeaderBytes(), verifier.maxHeaderFields());
  }

  /** Adds one raw header field ({@code Name:value} with its folding). */
  public void header(byte[] field) {
    header(field, 0, field.length);
  }

  /** Adds one raw header field from part of an array. */
  public void header(byte[] field, int offset, int length) {
    requireState(State.HEADERS, "header");
    headers.add(field, offset, length);
  }

  /**
   * Ends the header section: checks the chain's structure and starts the key lookups. Called
   * implicitly by the first body chunk or {@link #finish()}.
   */
  public void endOfHeaders() {
    requireState(State.HEADERS, "endOfHeaders");
    state = State.BODY;
    if (headers.overflow()) {
      decided =
          ArcOutcome.fail(
              "the header section exceeds the limit of "
                  + verifier.maxHeaderBytes()
                  + " octets or "
                  + verifier.maxHeaderFields()
                  + " fields; the ARC chain was not verified",
              0,
              List.of());
      return;
    }
    chain = ArcChain.assemble(headers);
    if (chain.fieldCount == 0) {
      decided = ArcOutcome.none();
      return;
    }
    if (chain.problem != null) {
      decided = ArcOutcome.fail(chain.problem, chain.sets, chain.hops());
      return;
    }
    int n = chain.size();
    signatureHashes = new byte[n][];
    sealHashes = new byte[n][];
    signatureBodies = new DkimPrimitives.BodyHash[n];
    signatureKeys = new ArrayList<>(n);
    sealKeys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ArcSignatureField ams = chain.signatures.get(i);
      MessageDigest digest = DkimPrimitives.sha256();
      for (byte[] field : headers.select(ams.signedHeaders())) {
        DkimPrimitives.hashHeader(digest, ams.headerCanon(), field, false);
      }
      DkimPrimitives.hashHeader(
          digest, ams.headerCanon(), DkimPrimitives.withoutSignatureValue(ams.raw()), true);
      signatureHashes[i] = digest.digest();
      signatureBodies[i] = bodyHash(ams.bodyCanon(), ams.bodyLength());
      signatureKeys.add(lookup(ams.selector() + "._domainkey." + ams.domain()));
      sealHashes[i] = sealHash(chain, i + 1, null);
      ArcSealField seal = chain.seals.get(i);
      sealKeys.add(lookup(seal.selector() + "._domainkey." + seal.domain()));
    }
  }

  /**
   * The ARC-Seal hash input of RFC 8617 §5.1.1: for each set from 1 to {@code upTo}, its
   * ARC-Authentication-Results, ARC-Message-Signature and ARC-Seal in relaxed canonical form, the
   * last seal without its {@code b=} value and without a final CRLF. With {@code extra} (sealing),
   * the sets of {@code chain} up to {@code upTo} come first and {@code extra} (AAR, AMS, AS) last.
   */
  static byte[] sealHash(ArcChain chain, int upTo, byte[][] extra) {
    MessageDigest digest = DkimPrimitives.sha256();
    for (int i = 0; i < upTo; i++) {
      boolean last = extra == null && i == upTo - 1;
      DkimPrimitives.hashHeader(
          digest, Canonicalization.RELAXED, chain.results.get(i).raw(), false);
      DkimPrimitives.hashHeader(
          digest, Canonicalization.RELAXED, chain.signatures.get(i).raw(), false);
      byte[] seal = chain.seals.get(i).raw();
      DkimPrimitives.hashHeader(
          digest,
          Canonicalization.RELAXED,
          last ? DkimPrimitives.withoutSignatureValue(seal) : seal,
          last);
    }
    if (extra != null) {
      DkimPrimitives.hashHeader(digest, Canonicalization.RELAXED, extra[0], false);
      DkimPrimitives.hashHeader(digest, Canonicalization.RELAXED, extra[1], false);
      DkimPrimitives.hashHeader(
          digest, Canonicalization.RELAXED, DkimPrimitives.withoutSignatureValue(extra[2]), true);
    }
    return digest.digest();
  }

  /** The shared body hash for a canonicalization and length limit (-1: whole body). */
  DkimPrimitives.BodyHash bodyHash(Canonicalization canon, long limit) {
    return bodies.computeIfAbsent(
        canon.tag() + "/" + limit, k -> DkimPrimitives.bodyHash(canon, limit));
  }

  /** The chain as assembled at the end of the headers (null before, or on overflow). */
  ArcChain chain() {
    return chain;
  }

  HeaderList headers() {
    return headers;
  }

  private CompletableFuture<DnsAnswer<String>> lookup(String name) {
    return lookups.computeIfAbsent(
        name,
        n -> {
          try {
            return verifier
                .resolver()
                .txt(n)
                .toCompletableFuture()
                .exceptionally(e -> new DnsAnswer.TempFailure<>(describe(e)));
          } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new DnsAnswer.TempFailure<>(describe(e)));
          }
        });
  }

  private static String describe(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  /** Adds a chunk of the body, in wire form (CRLF line ends). */
  public void body(byte[] bytes, int offset, int length) {
    if (state == State.HEADERS) {
      endOfHeaders();
    }
    requireState(State.BODY, "body");
    for (DkimPrimitives.BodyHash body : bodies.values()) {
      body.update(bytes, offset, length);
    }
  }

  /** Adds a whole array as a body chunk. */
  public void body(byte[] bytes) {
    body(bytes, 0, bytes.length);
  }

  /** Adds the remaining bytes of a buffer as a body chunk, consuming them. */
  public void body(ByteBuffer chunk) {
    if (state == State.HEADERS) {
      endOfHeaders();
    }
    requireState(State.BODY, "body");
    int k = 0;
    for (DkimPrimitives.BodyHash body : bodies.values()) {
      body.update(++k == bodies.size() ? chunk : chunk.duplicate());
    }
    chunk.position(chunk.limit());
  }

  /**
   * Ends the message; completes, once the key lookups are answered, with the chain's outcome. It
   * never completes exceptionally.
   */
  public CompletionStage<ArcOutcome> finish() {
    if (state == State.HEADERS) {
      endOfHeaders();
    }
    requireState(State.BODY, "finish");
    state = State.FINISHED;
    for (DkimPrimitives.BodyHash body : bodies.values()) {
      body.finish();
    }
    if (decided != null) {
      return CompletableFuture.completedFuture(decided);
    }
    CompletableFuture<?>[] all = lookups.values().toArray(new CompletableFuture<?>[0]);
    return CompletableFuture.allOf(all)
        .handle(
            (done, error) -> {
              try {
                return evaluate();
              } catch (RuntimeException e) {
                return ArcOutcome.fail(
                    "internal error while verifying the ARC chain: " + describe(e),
                    chain.size(),
                    chain.hops());
              }
            });
  }

  MessageSink sink() {
    return new MessageSink() {
      @Override
      public void header(byte[] field, int offset, int length) {
        ArcVerifyStream.this.header(field, offset, length);
      }

      @Override
      public void endOfHeaders() {
        ArcVerifyStream.this.endOfHeaders();
      }

      @Override
      public void body(byte[] bytes, int offset, int length) {
        ArcVerifyStream.this.body(bytes, offset, length);
      }
    };
  }

  /** RFC 8617 §5.2 steps 3 to 6, once every key is known. */
  private ArcOutcome evaluate() {
    int n = chain.size();
    List<ArcHop> hops = chain.hops();
    String problem = checkSignature(n);
    if (problem != null) {
      return ArcOutcome.fail(problem, n, hops);
    }
    for (int i = n; i >= 1; i--) {
      problem = checkSeal(i);
      if (problem != null) {
        return ArcOutcome.fail(problem, n, hops);
      }
    }
    int oldest = n;
    while (oldest > 1 && checkSignature(oldest - 1) == null) {
      oldest--;
    }
    String reason =
        "ARC chain of "
            + n
            + (n == 1 ? " set" : " sets")
            + " verified (sealers "
            + String.join(", ", chain.hops().stream().map(ArcHop::domain).toList())
            + ")"
            + (oldest == 1
                ? "; every ARC-Message-Signature verifies"
                : "; the message changed before instance "
                    + oldest
                    + " (ARC-Message-Signature i="
                    + (oldest - 1)
                    + " no longer verifies)");
    return new ArcOutcome(ArcCv.PASS, reason, n, oldest, hops);
  }

  /** Null when the ARC-Message-Signature of this instance verifies, else why not. */
  private String checkSignature(int instance) {
    ArcSignatureField ams = chain.signatures.get(instance - 1);
    String what =
        "ARC-Message-Signature i="
            + instance
            + " (d="
            + ams.domain()
            + " s="
            + ams.selector()
            + ")";
    Object key =
        key(
            what,
            ams.selector() + "._domainkey." + ams.domain(),
            ams.algorithm(),
            signatureKeys.get(instance - 1));
    if (key instanceof String problem) {
      return problem;
    }
    if (ams.expiry() >= 0 && verifier.clock().instant().getEpochSecond() > ams.expiry()) {
      return what + ": expired at " + java.time.Instant.ofEpochSecond(ams.expiry()) + " (x=)";
    }
    DkimPrimitives.BodyHash body = signatureBodies[instance - 1];
    if (ams.bodyLength() >= 0 && ams.bodyLength() > body.length()) {
      return what + ": body length l=" + ams.bodyLength() + " exceeds the body";
    }
    if (!MessageDigest.isEqual(body.finish(), ams.bodyHash())) {
      return what
          + ": body hash did not verify (the body changed after instance "
          + instance
          + " signed it)";
    }
    if (!DkimPrimitives.verify(
        (DkimKeyRecord) key, ams.algorithm(), signatureHashes[instance - 1], ams.signature())) {
      return what
          + ": signature did not verify (a signed header field changed after instance "
          + instance
          + " signed it)";
    }
    return null;
  }

  /** Null when the ARC-Seal of this instance verifies, else why not. */
  private String checkSeal(int instance) {
    ArcSealField seal = chain.seals.get(instance - 1);
    String what = "ARC-Seal i=" + instance + " (d=" + seal.domain() + " s=" + seal.selector() + ")";
    Object key =
        key(
            what,
            seal.selector() + "._domainkey." + seal.domain(),
            seal.algorithm(),
            sealKeys.get(instance - 1));
    if (key instanceof String problem) {
      return problem;
    }
    if (!DkimPrimitives.verify(
        (DkimKeyRecord) key, seal.algorithm(), sealHashes[instance - 1], seal.signature())) {
      return what
          + ": seal did not verify (an ARC header field of sets 1 to "
          + instance
          + " changed)";
    }
    return null;
  }

  /** The usable key for a signature, or a String saying why there is none. */
  private Object key(
      String what,
      String name,
      SignatureAlgorithm algorithm,
      CompletableFuture<DnsAnswer<String>> lookup) {
    DnsAnswer<String> answer = lookup.getNow(null);
    if (answer == null || answer instanceof DnsAnswer.TempFailure<String>) {
      String why =
          answer instanceof DnsAnswer.TempFailure<String> failure ? failure.reason() : "no answer";
      return what + ": key lookup for " + name + " failed temporarily: " + why;
    }
    if (answer.isEmpty()) {
      return what
          + ": no key at "
          + name
          + (answer instanceof DnsAnswer.NxDomain<String>
              ? " (the name does not exist)"
              : " (the name has no TXT record)");
    }
    String invalid = null;
    for (String text : answer.values()) {
      ParseResult<DkimKeyRecord> parsed = verifier.parseKey(text);
      if (parsed instanceof ParseResult.Parsed<DkimKeyRecord> valid) {
        DkimKeyRecord key = valid.parsed();
        if (key.revoked()) {
          return what + ": the key at " + name + " is revoked (empty p=)";
        }
        if (!key.keyType().equals(algorithm.keyType())) {
          return what
              + ": the key at "
              + name
              + " is k="
              + key.keyType()
              + " but the signature is a="
              + algorithm.tag();
        }
        if (!key.allowsHash("sha256")) {
          return what + ": the key at " + name + " does not allow sha256 (h=)";
        }
        if (!key.allowsEmail()) {
          return what + ": the key at " + name + " is not for email (s=)";
        }
        if (algorithm == SignatureAlgorithm.RSA_SHA256
            && (key.keyBits() < ArcVerifier.MIN_RSA_KEY_BITS
                || key.keyBits() > ArcVerifier.MAX_RSA_KEY_BITS)) {
          return what
              + ": the RSA key at "
              + name
              + " has "
              + key.keyBits()
              + " bits; 1024 to 8192 are accepted (RFC 8301 §3.2)";
        }
        return key;
      }
      if (invalid == null) {
        invalid = parsed.problem().orElse("unparseable");
      }
    }
    return what + ": invalid key at " + name + ": " + invalid;
  }

  private void requireState(State expected, String call) {
    if (state != expected) {
      throw new IllegalStateException(call + "() called in state " + state);
    }
  }
}
