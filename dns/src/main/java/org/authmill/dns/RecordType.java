package org.authmill.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A DNS record type that authmill looks up, with the Java type its records are read as.
 *
 * @param <T> what one record of this type becomes
 */
public final class RecordType<T> {

  /**
   * TXT (RFC 1035 §3.3.14): one string per record, its character-strings concatenated with no
   * separator as RFC 7208 §3.3 and RFC 6376 §3.6.2.2 require. Bytes are read as UTF-8; invalid
   * sequences become U+FFFD, which no SPF, DKIM or DMARC record may contain.
   */
  public static final RecordType<String> TXT =
      new RecordType<>("TXT", Type.TXT, r -> joinStrings((TXTRecord) r));

  /** A (RFC 1035 §3.4.1). */
  public static final RecordType<InetAddress> A =
      new RecordType<>("A", Type.A, r -> ((ARecord) r).getAddress());

  /** AAAA (RFC 3596). */
  public static final RecordType<InetAddress> AAAA =
      new RecordType<>("AAAA", Type.AAAA, r -> ((AAAARecord) r).getAddress());

  /** MX (RFC 1035 §3.3.9). */
  public static final RecordType<MxRecord> MX =
      new RecordType<>(
          "MX",
          Type.MX,
          r -> {
            MXRecord mx = (MXRecord) r;
            return new MxRecord(mx.getPriority(), DomainName.toText(mx.getTarget()));
          });

  /** PTR (RFC 1035 §3.3.12): the target name without the trailing dot. */
  public static final RecordType<String> PTR =
      new RecordType<>("PTR", Type.PTR, r -> DomainName.toText(((PTRRecord) r).getTarget()));

  private final String name;
  private final int code;
  private final Function<Record, T> reader;

  private RecordType(String name, int code, Function<Record, T> reader) {
    this.name = name;
    this.code = code;
    this.reader = reader;
  }

  /** The type's mnemonic, as in a zone file ({@code TXT}, {@code MX}, ...). */
  public String name() {
    return name;
  }

  /** The type's numeric code on the wire (RFC 1035 §3.2.2). */
  public int code() {
    return code;
  }

  T read(Record record) {
    return reader.apply(record);
  }

  @Override
  public String toString() {
    return name;
  }

  private static String joinStrings(TXTRecord txt) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] part : txt.getStringsAsByteArrays()) {
      joined.writeBytes(part);
    }
    return joined.toString(StandardCharsets.UTF_8);
  }
}
