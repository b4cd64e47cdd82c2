package org.authmill.milter;

/**
 * A packet that breaks the milter protocol: a bad length, an unknown command, a missing NUL. The
 * session logs it and closes the connection; the MTA then applies its {@code
 * milter_default_action}.
 */
public final class MilterProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A protocol error described for an operator. */
  public MilterProtocolException(String message) {
    super(message);
  }
}
