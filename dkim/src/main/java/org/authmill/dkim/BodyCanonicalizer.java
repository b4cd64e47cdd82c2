package org.authmill.dkim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming body canonicalization (RFC 6376 §3.4.3 simple, §3.4.4 relaxed): a state machine fed
 * chunks split anywhere (also between CR and LF), passing runs of unchanged input straight to its
 * {@link BodyHashSink}s, with no allocation per byte or line. Only CRLF ends a line; a bare CR or
 * LF is an ordinary octet. Trailing empty lines are held back as a count, never buffered.
 */
abstract sealed class BodyCanonicalizer
    permits BodyCanonicalizer.Simple, BodyCanonicalizer.Relaxed {
  static final byte[] CRLFS = new byte[128];
  static final byte[] CR = {'\r'};
  static final byte[] SP = {' '};

  /** Octets copied at a time out of a buffer without an accessible array (direct, read-only). */
  private static final int SCRATCH = 4096;

  /** Reads eight octets of a byte array as one little-endian long (the first in the low bits). */
  private static final VarHandle OCTETS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long LOW_SEVEN = 0x7f7f7f7f7f7f7f7fL;
  private static final long SPACES = 0x2020202020202020L;
  private static final long BIT_TWO = 0x0404040404040404L;
  private static final long CRS = 0x0d0d0d0d0d0d0d0dL;
  private static final long LAST_OCTET = 0x8000000000000000L;

  /** Octet classes: 0 an ordinary octet (also LF and 8-bit ones), 1 SP or HTAB, 2 CR. */
  static final byte[] CLASS = new byte[256];

  static {
    for (int i = 0; i < CRLFS.length; i += 2) {
      CRLFS[i] = '\r';
      CRLFS[i + 1] = '\n';
    }
    CLASS[' '] = 1;
    CLASS['\t'] = 1;
    CLASS['\r'] = 2;
  }

  private final List<BodyHashSink> sinks = new ArrayList<>(2);
  private BodyHashSink[] sinkArray = new BodyHashSink[0];
  private byte[] scratch;
  boolean pendingCr;
  long pendingCrlf;
  boolean finished;

  static BodyCanonicalizer of(Canonicalization canon) {
    return canon == Canonicalization.SIMPLE ? new Simple() : new Relaxed();
  }

  /** The sink with this length limit (-1: none), created on first use. */
  BodyHashSink sink(long limit) {
    long normalized = limit < 0 ? Long.MAX_VALUE : limit;
    for (BodyHashSink sink : sinks) {
      if (sink.limit() == normalized) {
        return sink;
      }
    }
    BodyHashSink sink = new BodyHashSink(normalized);
    sinks.add(sink);
    sinkArray = sinks.toArray(new BodyHashSink[0]);
    return sink;
  }

  /** Feeds a chunk of raw body octets. */
  abstract void update(byte[] bytes, int offset, int length);

  /** Ends the body: emits what the algorithm adds at the end. */
  abstract void finish();

  /** Feeds the remaining bytes of a buffer, heap or direct, consuming them. */
  final void update(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      int n = buffer.remaining();
      update(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
      buffer.position(buffer.limit());
      return;
    }
    // sized to the chunk (a small body needs no 4 KiB), grown up to SCRATCH for larger chunks
    if (scratch == null || scratch.length < SCRATCH && scratch.length < buffer.remaining()) {
      scratch = new byte[Math.min(SCRATCH, buffer.remaining())];
    }
    while (buffer.hasRemaining()) {
      int n = Math.min(buffer.remaining(), scratch.length);
      buffer.get(scratch, 0, n);
      update(scratch, 0, n);
    }
  }

  /**
   * The end of the run from {@code i} that simple canonicalization passes through unchanged: octets
   * other than CR, and CRLFs followed by an octet other than CR (a line that is not empty follows,
   * so the line end cannot be part of the trailing empty lines). Eight octets at a time where no CR
   * is among them.
   */
  static int simpleRun(byte[] b, int i, int end) {
    while (i < end) {
      if (i + 8 <= end) {
        long cr = equalOctets((long) OCTETS.get(b, i), CRS);
        if (cr == 0) {
          i += 8;
          continue;
        }
        i += Long.numberOfTrailingZeros(cr) >>> 3;
      }
      if (b[i] != '\r') {
        i++;
      } else if (i + 2 < end && b[i + 1] == '\n' && b[i + 2] != '\r') {
        i += 3;
      } else {
        break;
      }
    }
    return i;
  }

  /**
   * The end of the run from {@code i} that relaxed canonicalization passes through unchanged, when
   * no whitespace is pending before {@code i}: ordinary octets, single spaces followed by one, and
   * CRLFs followed by one (so the line has no trailing whitespace and the next is not empty). Eight
   * octets at a time where none is a TAB or CR and no space is followed by whitespace or CR or ends
   * the eight.
   */
  static int relaxedRun(byte[] b, int i, int end) {
    while (i < end) {
      if (i + 8 <= end) {
        long word = (long) OCTETS.get(b, i);
        long spaces = equalOctets(word, SPACES);
        // TAB (0x09) and CR (0x0d) differ only in bit 2: one comparison finds both
        long tabsAndCrs = equalOctets(word | BIT_TWO, CRS);
        long stop = tabsAndCrs | spaces & ((spaces | tabsAndCrs) >>> 8 | LAST_OCTET);
        if (stop == 0) {
          i += 8;
          continue;
        }
        i += Long.numberOfTrailingZeros(stop) >>> 3;
      }
      int kind = CLASS[b[i] & 0xff];
      if (kind == 0) {
        i++;
      } else if (b[i] == ' ' && i + 1 < end && CLASS[b[i + 1] & 0xff] == 0) {
        i += 2;
      } else if (kind == 2 && i + 2 < end && b[i + 1] == '\n' && CLASS[b[i + 2] & 0xff] == 0) {
        i += 3;
      } else {
        break;
      }
    }
    return i;
  }

  /**
   * The high bit of each octet of {@code word} that equals the octet repeated in {@code pattern}.
   */
  static long equalOctets(long word, long pattern) {
    long x = word ^ pattern;
    return ~((x & LOW_SEVEN) + LOW_SEVEN | x | LOW_SEVEN);
  }

  final void emit(byte[] bytes, int offset, int length) {
    if (length <= 0) {
      return;
    }
    for (BodyHashSink sink : sinkArray) {
      sink.accept(bytes, offset, length);
    }
  }

  final void flushCrlfs() {
    while (pendingCrlf > 0) {
      int n = (int) Math.min(pendingCrlf, CRLFS.length / 2);
      emit(CRLFS, 0, n * 2);
      pendingCrlf -= n;
    }
  }

  final void checkOpen() {
    if (finished) {
      throw new IllegalStateException("body already finished");
    }
  }

  /** RFC 6376 §3.4.3: trailing empty lines dropped; the body always ends in exactly one CRLF. */
  static final class Simple extends BodyCanonicalizer {
    @Override
    void update(byte[] b, int offset, int length) {
      checkOpen();
      int end = offset + length;
      int run = offset;
      int i = offset;
      while (i < end) {
        if (!pendingCr && pendingCrlf == 0) {
          i = simpleRun(b, i, end);
          if (i == end) {
            break;
          }
        }
        byte c = b[i];
        if (pendingCr) {
          pendingCr = false;
          if (c == '\n') {
            pendingCrlf++;
            i++;
            run = i;
            continue;
          }
          flushCrlfs();
          emit(CR, 0, 1);
          run = i;
        }
        if (c == '\r') {
          emit(b, run, i - run);
          pendingCr = true;
          i++;
          run = i;
          continue;
        }
        if (pendingCrlf > 0) {
          flushCrlfs();
        }
        i++;
      }
      emit(b, run, end - run);
    }

    @Override
    void finish() {
      checkOpen();
      if (pendingCr) {
        pendingCr = false;
        flushCrlfs();
        emit(CR, 0, 1);
      }
      pendingCrlf = 0;
      emit(CRLFS, 0, 2);
      finished = true;
    }
  }

  /**
   * RFC 6376 §3.4.4: whitespace runs become one SP, whitespace at line ends goes, trailing empty
   * lines are dropped, and a non-empty body ends in CRLF; an empty body stays empty.
   */
  static final class Relaxed extends BodyCanonicalizer {
    private boolean pendingWsp;
    private boolean wspIsOneSpace;
    private int wspIndex = Integer.MIN_VALUE;
    private boolean anyContent;

    @Override
    void update(byte[] b, int offset, int length) {
      checkOpen();
      int end = offset + length;
      int run = offset;
      int i = offset;
      wspIndex = Integer.MIN_VALUE; // a space seen in an earlier chunk cannot join this run
      while (i < end) {
        if (!pendingCr && !pendingWsp && pendingCrlf == 0) {
          // fast path: octets already in canonical form pass through in the run
          int start = i;
          i = relaxedRun(b, i, end);
          if (i > start) {
            anyContent = true;
          }
          if (i == end) {
            break;
          }
        }
        byte c = b[i];
        if (pendingCr) {
          pendingCr = false;
          if (c == '\n') {
            pendingWsp = false;
            pendingCrlf++;
            i++;
            run = i;
            continue;
          }
          startContent();
          emit(CR, 0, 1);
          run = i;
        }
        if (c == ' ' || c == '\t') {
          if (!pendingWsp) {
            emit(b, run, i - run);
            pendingWsp = true;
            wspIsOneSpace = c == ' ';
            wspIndex = i;
          } else {
            wspIsOneSpace = false;
          }
          i++;
          run = i;
          continue;
        }
        if (c == '\r') {
          emit(b, run, i - run);
          pendingCr = true;
          i++;
          run = i;
          continue;
        }
        if (pendingCrlf > 0 || pendingWsp) {
          if (pendingCrlf > 0) {
            flushCrlfs();
          }
          if (pendingWsp) {
            pendingWsp = false;
            if (wspIsOneSpace && wspIndex == i - 1) {
              run = i - 1; // the single input space joins the run
            } else {
              emit(SP, 0, 1);
            }
          }
        }
        anyContent = true;
        i++;
      }
      emit(b, run, end - run);
    }

    private void startContent() {
      flushCrlfs();
      if (pendingWsp) {
        pendingWsp = false;
        emit(SP, 0, 1);
      }
      anyContent = true;
    }

    @Override
    void finish() {
      checkOpen();
      if (pendingCr) {
        pendingCr = false;
        startContent();
        emit(CR, 0, 1);
      }
      pendingCrlf = 0;
      pendingWsp = false;
      if (anyContent) {
        emit(CRLFS, 0, 2);
      }
      finished = true;
    }
  }
}
