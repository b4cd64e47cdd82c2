package org.authmill.dkim;

import java.nio.ByteBuffer;
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
  private static final int SCRATCH = 8192;

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
    if (scratch == null) {
      scratch = new byte[SCRATCH];
    }
    while (buffer.hasRemaining()) {
      int n = Math.min(buffer.remaining(), scratch.length);
      buffer.get(scratch, 0, n);
      update(scratch, 0, n);
    }
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
          // fast path: ordinary octets up to the next CR pass through in the run
          while (i < end && b[i] != '\r') {
            i++;
          }
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
          // fast path: ordinary octets, and single spaces between them, pass through in the run
          int start = i;
          while (i < end) {
            int kind = CLASS[b[i] & 0xff];
            if (kind == 0) {
              i++;
            } else if (b[i] == ' ' && i + 1 < end && CLASS[b[i + 1] & 0xff] == 0) {
              i += 2;
            } else {
              break;
            }
          }
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
