package org.authmill.server;

/**
 * A configuration the server cannot run with: the message names the file, key or line that is wrong
 * and what was expected. {@code authmill serve} prints it and exits with status 2; a reload that
 * fails keeps the previous configuration.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A configuration error, described for an operator. */
  public ConfigException(String message) {
    super(message);
  }

  /** A configuration error with its cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
