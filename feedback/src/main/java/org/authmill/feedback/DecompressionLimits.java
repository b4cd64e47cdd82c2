package org.authmill.feedback;

/**
 * Bounds on what one compressed report may expand to, so that a gzip or zip bomb is refused after a
 * bounded amount of work instead of filling memory, disk or time.
 *
 * @param maxBytes the most bytes one report may decompress to (all zip entries together)
 * @param maxRatio the most decompressed bytes per compressed byte, checked once the output passes
 *     {@code ratioGrace} bytes (real DMARC XML compresses about 10:1 to 30:1)
 * @param ratioGrace output below which the ratio is not checked (tiny files compress oddly)
 * @param maxEntries the most entries a zip archive may hold
 */
public record DecompressionLimits(long maxBytes, long maxRatio, long ratioGrace, int maxEntries) {
  /** 512 MiB out, at most 200:1, ratio checked past 1 MiB, 64 zip entries. */
  public static final DecompressionLimits DEFAULT =
      new DecompressionLimits(512L << 20, 200, 1L << 20, 64);

  /** Checks the limits are positive. */
  public DecompressionLimits {
    if (maxBytes <= 0 || maxRatio <= 0 || ratioGrace < 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("decompression limits must be positive");
    }
  }
}
