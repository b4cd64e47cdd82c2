package org.authmill.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.authmill.bench.BenchZones;
import org.authmill.dkim.DkimPrivateKey;

/**
 * The sending domain of the load benchmarks, {@code example.com} (the From: domain of {@link
 * org.authmill.bench.BenchMessages}): an RSA-2048 DKIM key (selector {@value #SELECTOR}), an SPF
 * record that allows the load generator's client address and loopback (RFC 7208), and a DMARC
 * record with {@code p=reject} (RFC 9989), as the zone text that NSD serves. A second key signs
 * outbound mail in the Postfix benchmark (selector {@value #OUTBOUND_SELECTOR}).
 */
public final class BenchDomain {
  /** The domain. */
  public static final String DOMAIN = "example.com";

  /** The selector of the key that signs the inbound test messages. */
  public static final String SELECTOR = "bench";

  /** The selector of the key that outbound signing uses. */
  public static final String OUTBOUND_SELECTOR = "out";

  /** The client address the milter load generator connects as (inside the SPF record). */
  public static final String CLIENT_ADDRESS = "192.0.2.25";

  /** The client's host name. */
  public static final String CLIENT_NAME = "mail-out.example.com";

  /** The MAIL FROM address. */
  public static final String SENDER = "alice@example.com";

  /** The RCPT TO address. */
  public static final String RECIPIENT = "bob@example.org";

  /** The authserv-id of the filters. */
  public static final String AUTHSERV_ID = "mx.test.local";

  private final DkimPrivateKey key;
  private final DkimPrivateKey outboundKey;

  private BenchDomain(DkimPrivateKey key, DkimPrivateKey outboundKey) {
    this.key = key;
    this.outboundKey = outboundKey;
  }

  /** New keys (RSA-2048, as most of the mail in the wild). */
  public static BenchDomain generate() {
    return new BenchDomain(DkimPrivateKey.generateRsa(2048), DkimPrivateKey.generateRsa(2048));
  }

  /** The key that signs the test messages. */
  public DkimPrivateKey key() {
    return key;
  }

  /** The key that outbound signing uses. */
  public DkimPrivateKey outboundKey() {
    return outboundKey;
  }

  /** The records NSD serves, as RFC 1035 master-file text. */
  public String zone() {
    return "$ORIGIN "
        + DOMAIN
        + ".\n"
        + "@ 3600 IN SOA ns hostmaster 1 3600 600 86400 300\n"
        + "@ 3600 IN NS ns\n"
        + "ns 3600 IN A 127.0.0.1\n"
        + "@ 3600 IN TXT \"v=spf1 ip4:192.0.2.0/24 ip4:127.0.0.0/8 -all\"\n"
        + "_dmarc 3600 IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n"
        + SELECTOR
        + "._domainkey 3600 IN TXT "
        + BenchZones.txt(key.keyRecord())
        + "\n"
        + OUTBOUND_SELECTOR
        + "._domainkey 3600 IN TXT "
        + BenchZones.txt(outboundKey.keyRecord())
        + "\n";
  }

  /** Writes a key as PKCS#8 PEM readable by its owner only (authmill and OpenDKIM check). */
  public static Path writeKey(Path file, DkimPrivateKey key) throws IOException {
    Files.writeString(file, key.toPkcs8Pem(), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
