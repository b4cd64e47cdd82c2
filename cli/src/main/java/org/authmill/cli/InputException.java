package org.authmill.cli;

/**
 * Bad input that the user can fix: the message says what is wrong and is printed as is, and the
 * command exits with {@link ExitCodes#USAGE}.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error whose message names what is wrong. */
  public InputException(String message) {
    super(message);
  }

  /** An error whose message names what is wrong, with its cause. */
  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
