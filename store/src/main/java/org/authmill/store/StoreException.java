package org.authmill.store;

/**
 * A store operation failed: the database could not be reached, a statement failed, or a migration
 * could not be applied. The message names the store (without its password) and what was done.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with its cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure without an underlying exception, such as a bad store URL. */
  public StoreException(String message) {
    super(message);
  }
}
