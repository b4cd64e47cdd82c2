package org.authmill.spf;

/**
 * The qualifier in front of a mechanism and the result it gives when the mechanism matches (RFC
 * 7208 §4.6.2); a mechanism without one is {@link #PASS}.
 */
public enum Qualifier {
  /** {@code +}: pass. */
  PASS('+', SpfResult.PASS),
  /** {@code -}: fail. */
  FAIL('-', SpfResult.FAIL),
  /** {@code ~}: softfail. */
  SOFTFAIL('~', SpfResult.SOFTFAIL),
  /** {@code ?}: neutral. */
  NEUTRAL('?', SpfResult.NEUTRAL);

  private final char symbol;
  private final SpfResult result;

  Qualifier(char symbol, SpfResult result) {
    this.symbol = symbol;
    this.result = result;
  }

  /** The qualifier's character: {@code + - ~ ?}. */
  public char symbol() {
    return symbol;
  }

  /** The result check_host() returns when a mechanism with this qualifier matches. */
  public SpfResult result() {
    return result;
  }

  /** The qualifier written as {@code c}, or null when {@code c} is not one. */
  static Qualifier ofSymbol(char c) {
    for (Qualifier q : values()) {
      if (q.symbol == c) {
        return q;
      }
    }
    return null;
  }
}
