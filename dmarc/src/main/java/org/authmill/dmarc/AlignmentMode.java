package org.authmill.dmarc;

/** The identifier alignment mode of the {@code adkim} and {@code aspf} tags (RFC 9989 §4.7). */
public enum AlignmentMode {
  /** Relaxed ({@code r}, the default): same Organizational Domain (RFC 9989 §3.2.10.1). */
  RELAXED("r"),
  /** Strict ({@code s}): identical domains (RFC 9989 §3.2.10.2). */
  STRICT("s");

  private final String tagValue;

  AlignmentMode(String tagValue) {
    this.tagValue = tagValue;
  }

  /** The tag value, {@code r} or {@code s}. */
  public String tagValue() {
    return tagValue;
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
