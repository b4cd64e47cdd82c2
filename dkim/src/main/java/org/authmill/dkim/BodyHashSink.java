package org.authmill.dkim;

import java.security.MessageDigest;

/**
 * A running body hash (RFC 6376 §3.7): the canonical body bytes go into one SHA-256, up to an
 * optional length limit ({@code l=}, §3.5), while the full canonical length is counted.
 */
final class BodyHashSink {
  private final MessageDigest digest;
  private final long limit;
  private long length;
  private byte[] hash;

  BodyHashSink(long limit) {
    this.digest = Crypto.sha256();
    this.limit = limit < 0 ? Long.MAX_VALUE : limit;
  }

  long limit() {
    return limit;
  }

  void accept(byte[] bytes, int offset, int count) {
    if (length < limit) {
      long room = limit - length;
      digest.update(bytes, offset, (int) Math.min(count, room));
    }
    length += count;
  }

  /** The total canonical body length, also past the limit. */
  long length() {
    return length;
  }

  byte[] hash() {
    if (hash == null) {
      hash = digest.digest();
    }
    return hash;
  }
}
