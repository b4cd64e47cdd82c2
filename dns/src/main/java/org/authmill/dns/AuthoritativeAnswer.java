package org.authmill.dns;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one authoritative name server, asked directly, holds at a name: the TXT records' texts
 * (strings joined, RFC 6376 §3.6.2.2) in an authoritative answer, or why it could not be told.
 *
 * @param server the server asked
 * @param texts the TXT texts it serves at the name (empty for NXDOMAIN or NODATA), or empty when it
 *     gave no usable authoritative answer
 * @param failure why there is no usable answer (a timeout, REFUSED, an answer without the AA bit),
 *     or empty
 */
public record AuthoritativeAnswer(
    InetSocketAddress server, Optional<List<String>> texts, Optional<String> failure) {
  /** Validates: exactly one of texts and failure. */
  public AuthoritativeAnswer {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(failure, "failure");
    if (texts.isPresent() == failure.isPresent()) {
      throw new IllegalArgumentException("give either the texts or the failure");
    }
    texts = texts.map(List::copyOf);
  }

  /** True when the server answered with authority and serves exactly this text at the name. */
  public boolean serves(String text) {
    return texts.map(t -> t.contains(text)).orElse(false);
  }

  /** True when the server answered with authority and does not serve this text at the name. */
  public boolean lacks(String text) {
    return texts.map(t -> !t.contains(text)).orElse(false);
  }

  /** One line for an operator: the server and what it answered. */
  public String describe() {
    String where = server.getHostString() + ":" + server.getPort();
    if (failure.isPresent()) {
      return where + ": " + failure.get();
    }
    List<String> t = texts.get();
    return where
        + ": "
        + (t.isEmpty() ? "no TXT record" : t.size() + " TXT record" + (t.size() == 1 ? "" : "s"));
  }
}
