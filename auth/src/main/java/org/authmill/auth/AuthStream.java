package org.authmill.auth;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.auth.results.AuthResultClauses;
import org.authmill.auth.results.AuthenticationResults;
import org.authmill.auth.results.MethodResult;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimVerifyStream;
import org.authmill.dkim.MessageSink;
import org.authmill.dmarc.AuthorDomains;
import org.authmill.dmarc.DkimCheck;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.dmarc.SpfCheck;
import org.authmill.spf.SpfOutcome;

/**
 * The authentication of one message, fed as it arrives: header fields in order, the end of the
 * header section, body chunks, then {@link #finish()}. Not thread-safe: one caller at a time, in
 * message order.
 */
public final class AuthStream implements MessageSink {
  /** At most this many From: field values are kept for DMARC; more is itself a problem. */
  static final int MAX_FROM_FIELDS = 32;

  private final Authenticator authenticator;
  private final Authenticator.Engines engines;
  private final CompletionStage<SpfOutcome> spf;
  private final Optional<CompletionStage<SpfOutcome>> helo;
  private final DkimVerifyStream dkim;
  private final List<String> fromValues = new ArrayList<>();
  private int fromFields;

  AuthStream(
      Authenticator authenticator,
      Authenticator.Engines engines,
      InetAddress client,
      String helo,
      String from) {
    this.authenticator = authenticator;
    this.engines = engines;
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(helo, "helo");
    Objects.requireNonNull(from, "mailFrom");
    this.spf = authenticator.spf(engines.spf(), client, from, helo);
    this.helo =
        authenticator.checkHelo() && !from.isEmpty() && isDomainName(helo)
            ? Optional.of(engines.spf().checkHelo(client, helo))
            : Optional.empty();
    this.dkim = engines.dkim().newStream();
  }

  /** The SPF outcome for the MAIL FROM identity, as soon as it is known (for an early reject). */
  public CompletionStage<SpfOutcome> spf() {
    return spf;
  }

  /**
   * One header field as received, without its final line break: {@code Name:value}, folded lines
   * joined by CRLF (or bare LF, which is read as CRLF).
   */
  @Override
  public void header(byte[] field, int offset, int length) {
    byte[] crlf = crlf(field, offset, length);
    dkim.header(crlf, 0, crlf.length);
    if (isFrom(crlf)) {
      fromFields++;
      if (fromValues.size() < MAX_FROM_FIELDS) {
        int colon = indexOf(crlf, (byte) ':');
        fromValues.add(
            new String(crlf, colon + 1, crlf.length - colon - 1, StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * One header field as a milter gets it: the name, and the value after the colon with its leading
   * whitespace, folded lines joined by LF; each {@code char} is one octet (ISO-8859-1).
   */
  public void header(String name, String value) {
    byte[] field = (name + ":" + value).getBytes(StandardCharsets.ISO_8859_1);
    header(field, 0, field.length);
  }

  /** The header section ended: the DKIM key lookups start now. */
  @Override
  public void endOfHeaders() {
    dkim.endOfHeaders();
  }

  /** A chunk of the body (CRLF line ends), split anywhere. */
  public void body(ByteBuffer chunk) {
    dkim.body(chunk);
  }

  /** A chunk of the body (CRLF line ends), split anywhere. */
  @Override
  public void body(byte[] bytes, int offset, int length) {
    dkim.body(bytes, offset, length);
  }

  /**
   * The verdicts, once the DKIM signatures are verified and DMARC evaluated. Every failure along
   * the way is a verdict (temperror or permerror) in the report, not an exceptional completion.
   */
  public CompletionStage<AuthOutcome> finish() {
    CompletableFuture<SpfOutcome> spfDone = spf.toCompletableFuture();
    CompletableFuture<Optional<SpfOutcome>> heloDone =
        helo.map(stage -> stage.toCompletableFuture().thenApply(Optional::of))
            .orElse(CompletableFuture.completedFuture(Optional.empty()));
    CompletableFuture<List<DkimOutcome>> dkimDone = dkim.finish().toCompletableFuture();
    AuthorDomains authors = authorDomains();
    return CompletableFuture.allOf(spfDone, heloDone, dkimDone)
        .thenCompose(
            ignored -> {
              SpfOutcome spfOutcome = spfDone.join();
              List<DkimOutcome> dkimOutcomes = dkimDone.join();
              List<DkimCheck> checks =
                  dkimOutcomes.stream()
                      .map(
                          o ->
                              new DkimCheck(
                                  o.domain().orElse(""),
                                  o.selector().orElse(""),
                                  o.result().keyword()))
                      .toList();
              SpfCheck spfCheck = new SpfCheck(spfOutcome.domain(), spfOutcome.result().keyword());
              return engines
                  .dmarc()
                  .evaluate(authors, Optional.of(spfCheck), checks)
                  .thenApply(dmarc -> report(spfOutcome, heloDone.join(), dkimOutcomes, dmarc));
            });
  }

  private AuthorDomains authorDomains() {
    if (fromFields > MAX_FROM_FIELDS) {
      // Past the bound, the extractor still sees more than one From: field, which DMARC rejects.
      List<String> kept = new ArrayList<>(fromValues);
      return authenticator.authors().fromFieldValues(kept);
    }
    return authenticator.authors().fromFieldValues(fromValues);
  }

  private AuthOutcome report(
      SpfOutcome spfOutcome,
      Optional<SpfOutcome> heloOutcome,
      List<DkimOutcome> dkimOutcomes,
      DmarcOutcome dmarc) {
    List<MethodResult> results = new ArrayList<>();
    results.add(AuthResultClauses.spf(spfOutcome));
    heloOutcome.ifPresent(h -> results.add(AuthResultClauses.spf(h)));
    results.addAll(AuthResultClauses.dkim(dkimOutcomes, authenticator.maxSignatures()));
    results.add(AuthResultClauses.dmarc(dmarc));
    AuthenticationResults header = AuthenticationResults.of(authenticator.authservId(), results);
    return new AuthOutcome(spfOutcome, heloOutcome, dkimOutcomes, dmarc, header);
  }

  private static boolean isDomainName(String helo) {
    return !helo.isEmpty() && !helo.startsWith("[") && helo.indexOf('.') > 0;
  }

  private static boolean isFrom(byte[] field) {
    if (field.length < 5) {
      return false;
    }
    int colon = indexOf(field, (byte) ':');
    if (colon < 4) {
      return false;
    }
    int end = colon;
    while (end > 0 && (field[end - 1] == ' ' || field[end - 1] == '\t')) {
      end--;
    }
    return end == 4
        && (field[0] | 0x20) == 'f'
        && (field[1] | 0x20) == 'r'
        && (field[2] | 0x20) == 'o'
        && (field[3] | 0x20) == 'm';
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** A copy of the field with every bare LF turned into CRLF, as DKIM hashes it (RFC 6376 §3.4). */
  public static byte[] crlf(byte[] field, int offset, int length) {
    int bare = 0;
    for (int i = offset; i < offset + length; i++) {
      if (field[i] == '\n' && (i == offset || field[i - 1] != '\r')) {
        bare++;
      }
    }
    if (bare == 0) {
      return Arrays.copyOfRange(field, offset, offset + length);
    }
    byte[] out = new byte[length + bare];
    int j = 0;
    for (int i = offset; i < offset + length; i++) {
      if (field[i] == '\n' && (i == offset || field[i - 1] != '\r')) {
        out[j++] = '\r';
      }
      out[j++] = field[i];
    }
    return out;
  }
}
