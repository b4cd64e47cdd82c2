package org.authmill.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimVerifyStream;

/**
 * A message prepared the way a milter receives it (RFC 5322 §2.1 split by the MTA): one raw header
 * field per packet ({@code Name:value} with its folding, no final CRLF), then the body in chunks of
 * at most {@link #CHUNK} octets, the largest body packet Postfix sends (libmilter's {@code
 * MILTER_CHUNK_SIZE}), each handed over as the milter session hands it to the filter: a read-only
 * {@link ByteBuffer} over the packet's bytes.
 */
public final class MilterFeed {
  /** The largest body chunk in one milter packet. */
  public static final int CHUNK = 65535;

  private final List<byte[]> fields;
  private final byte[] body;

  private MilterFeed(List<byte[]> fields, byte[] body) {
    this.fields = List.copyOf(fields);
    this.body = body;
  }

  /** Splits a message with CRLF line ends into header fields and body. */
  public static MilterFeed of(byte[] message) {
    List<byte[]> fields = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i + 1 < message.length) {
      if (message[i] == '\r' && message[i + 1] == '\n') {
        if (i == start) {
          i += 2;
          break;
        }
        boolean continued =
            i + 2 < message.length && (message[i + 2] == ' ' || message[i + 2] == '\t');
        if (!continued) {
          fields.add(java.util.Arrays.copyOfRange(message, start, i));
          start = i + 2;
        }
        i += 2;
      } else {
        i++;
      }
    }
    return new MilterFeed(fields, java.util.Arrays.copyOfRange(message, i, message.length));
  }

  /** The raw header fields, in order. */
  public List<byte[]> fields() {
    return fields;
  }

  /** The body octets. */
  public byte[] body() {
    return body;
  }

  /** Feeds header fields, the end of the headers, and the body chunks into a verification. */
  public void into(DkimVerifyStream verification) {
    for (byte[] field : fields) {
      verification.header(field);
    }
    verification.endOfHeaders();
    for (int offset = 0; offset < body.length; offset += CHUNK) {
      verification.body(chunk(offset));
    }
  }

  /** Feeds header fields, the end of the headers, and the body chunks into a signing. */
  public void into(DkimSignStream signing) {
    for (byte[] field : fields) {
      signing.header(field);
    }
    signing.endOfHeaders();
    for (int offset = 0; offset < body.length; offset += CHUNK) {
      signing.body(chunk(offset));
    }
  }

  private ByteBuffer chunk(int offset) {
    return ByteBuffer.wrap(body, offset, Math.min(CHUNK, body.length - offset)).asReadOnlyBuffer();
  }
}
