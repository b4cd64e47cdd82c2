package org.authmill.server.auth;

import java.net.InetAddress;
import java.util.Objects;
import org.authmill.dkim.DkimVerifier;
import org.authmill.dmarc.AuthorDomainExtractor;
import org.authmill.dmarc.DmarcEvaluator;
import org.authmill.spf.SpfVerifier;

/**
 * Authenticates inbound messages: SPF for the MAIL FROM identity (RFC 7208 §2.4; for the null
 * reverse-path, {@code postmaster@HELO}) and, separately, the HELO identity (§2.3); DKIM for every
 * signature (RFC 6376 §6); DMARC for the Author Domains of From: (RFC 9989 §5.3) over those
 * outcomes; and the Authentication-Results field that reports all of them (RFC 8601).
 *
 * <p>Thread-safe; one {@link Authentication} per message. SPF starts as soon as the envelope is
 * known, and the DKIM key lookups as soon as the header section ends, so DNS overlaps the transfer
 * of the message.
 */
public final class MessageAuthenticator {
  private final SpfVerifier spf;
  private final DkimVerifier dkim;
  private final DmarcEvaluator dmarc;
  private final AuthorDomainExtractor authors;
  private final String authservId;
  private final boolean checkHelo;

  private MessageAuthenticator(Builder builder) {
    this.spf = Objects.requireNonNull(builder.spf, "spf verifier");
    this.dkim = Objects.requireNonNull(builder.dkim, "dkim verifier");
    this.dmarc = Objects.requireNonNull(builder.dmarc, "dmarc evaluator");
    this.authors = builder.authors;
    this.authservId = Objects.requireNonNull(builder.authservId, "authserv-id");
    this.checkHelo = builder.checkHelo;
  }

  /** A builder; the SPF, DKIM and DMARC engines and the authserv-id are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The authserv-id this authenticator writes in Authentication-Results (RFC 8601 §2.5). */
  public String authservId() {
    return authservId;
  }

  /**
   * Starts authenticating one message and its SPF checks.
   *
   * @param client the SMTP client's address
   * @param helo the HELO/EHLO argument ("" if none was given)
   * @param mailFrom the MAIL FROM address without angle brackets, "" for the null reverse-path
   */
  public Authentication begin(InetAddress client, String helo, String mailFrom) {
    return new Authentication(this, client, helo, mailFrom);
  }

  SpfVerifier spf() {
    return spf;
  }

  DkimVerifier dkim() {
    return dkim;
  }

  DmarcEvaluator dmarc() {
    return dmarc;
  }

  AuthorDomainExtractor authors() {
    return authors;
  }

  boolean checkHelo() {
    return checkHelo;
  }

  /** Settings of a {@link MessageAuthenticator}. */
  public static final class Builder {
    private SpfVerifier spf;
    private DkimVerifier dkim;
    private DmarcEvaluator dmarc;
    private AuthorDomainExtractor authors = AuthorDomainExtractor.withDefaults();
    private String authservId;
    private boolean checkHelo = true;

    private Builder() {}

    /** The SPF verifier. */
    public Builder spf(SpfVerifier spf) {
      this.spf = spf;
      return this;
    }

    /** The DKIM verifier. */
    public Builder dkim(DkimVerifier dkim) {
      this.dkim = dkim;
      return this;
    }

    /** The DMARC evaluator. */
    public Builder dmarc(DmarcEvaluator dmarc) {
      this.dmarc = dmarc;
      return this;
    }

    /** How the Author Domains are read from From: (default: the extractor's defaults). */
    public Builder authors(AuthorDomainExtractor authors) {
      this.authors = Objects.requireNonNull(authors, "authors");
      return this;
    }

    /** The authserv-id to write, normally this host's name (RFC 8601 §2.5). */
    public Builder authservId(String authservId) {
      this.authservId = authservId;
      return this;
    }

    /**
     * Whether to check the HELO identity as well as MAIL FROM (RFC 7208 §2.3 recommends it; default
     * true). Its result is reported as a second {@code spf} result with {@code smtp.helo}.
     */
    public Builder checkHelo(boolean checkHelo) {
      this.checkHelo = checkHelo;
      return this;
    }

    /** The authenticator. */
    public MessageAuthenticator build() {
      return new MessageAuthenticator(this);
    }
  }
}
