package org.authmill.arc;

/** A malformed ARC header field; the message says what is wrong with it. */
final class ArcHeaderException extends Exception {
  private static final long serialVersionUID = 1L;

  ArcHeaderException(String message) {
    super(message, null, false, false);
  }
}
