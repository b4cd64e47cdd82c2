package org.authmill.milter;

/** The events of an SMTP session that a {@link MailFilter} may ask to see (RFC 5321 §3.3). */
public enum MailEvent {
  /** The client connected. Always delivered. */
  CONNECT,
  /** HELO or EHLO. */
  HELO,
  /** MAIL FROM. */
  MAIL,
  /** RCPT TO. */
  RCPT,
  /** Each header field. */
  HEADER,
  /** The end of the header section. */
  END_OF_HEADERS,
  /** The body chunks. */
  BODY
}
