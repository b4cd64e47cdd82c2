package org.authmill.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.authmill.dkim.DkimKeyRecord;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.dns.ParseResult;
import org.authmill.dns.ZoneResolver;
import org.authmill.server.ConfigException;
import org.authmill.server.FilterConfig;
import org.authmill.server.signing.KeyFiles;
import org.authmill.server.signing.KeySource;
import org.authmill.server.signing.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate {@code serve} puts before each configured {@code DOMAIN:SELECTOR:KEYFILE} key: it signs
 * only when the record published at {@code selector._domainkey.domain} holds the key's public half
 * (RFC 6376 §3.6.2.2; the check {@code authmill testkey} makes). A key whose record is missing,
 * revoked or different is left out with a log line saying what to publish; a key whose lookup fails
 * for now (a DNS outage) keeps signing, with a warning, since nothing shows it is wrong.
 */
final class SigningKeyGate {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeyGate.class);

  private SigningKeyGate() {}

  /** What the gate decided for one key. */
  record Verdict(SigningKey key, boolean signs, String reason) {}

  /** The keys that may sign; logs every key left out. */
  static List<SigningKey> admit(List<SigningKey> keys, FilterConfig config) {
    if (keys.isEmpty()) {
      return keys;
    }
    List<SigningKey> admitted = new ArrayList<>();
    for (Verdict v : check(keys, resolver(config), config.signing().insecureKeyPermissions())) {
      if (v.signs()) {
        admitted.add(v.key());
        if (!v.reason().isEmpty()) {
          LOG.warn("{}", v.reason());
        }
      } else {
        LOG.error("{}", v.reason());
      }
    }
    return List.copyOf(admitted);
  }

  /** Checks every key's published record, in parallel. */
  static List<Verdict> check(List<SigningKey> keys, DnsResolver dns, boolean insecure) {
    List<CompletableFuture<Verdict>> pending = new ArrayList<>();
    for (SigningKey key : keys) {
      DkimPrivateKey privateKey = privateKey(key, insecure);
      pending.add(
          dns.txt(key.recordName())
              .thenApply(answer -> verdict(key, privateKey, answer))
              .toCompletableFuture());
    }
    return pending.stream().map(CompletableFuture::join).toList();
  }

  private static Verdict verdict(
      SigningKey key, DkimPrivateKey privateKey, DnsAnswer<String> answer) {
    String which = key.domain() + ":" + key.selector() + " (" + describe(key.key()) + ")";
    String name = key.recordName();
    if (answer instanceof DnsAnswer.TempFailure<String> failure) {
      return new Verdict(
          key,
          true,
          "cannot check the key record of "
              + which
              + " now ("
              + failure.reason()
              + "); it keeps signing");
    }
    String refused = "not signing with " + which + ": ";
    if (answer.isEmpty()) {
      return new Verdict(
          key,
          false,
          refused
              + "no key record at "
              + name
              + "; publish "
              + KeysRecord.quoted(privateKey.keyRecord())
              + " there and reload (authmill testkey --domain "
              + key.domain()
              + " --selector "
              + key.selector()
              + " checks it)");
    }
    String seen = "holds a different key";
    for (String text : answer.values()) {
      ParseResult<DkimKeyRecord> parsed = DkimKeyRecord.parse(text);
      if (parsed instanceof ParseResult.Parsed<DkimKeyRecord> valid) {
        if (privateKey.matches(valid.parsed())) {
          return new Verdict(key, true, "");
        }
        if (valid.parsed().revoked()) {
          seen = "is revoked (empty p=)";
        }
      } else {
        seen = "is invalid: " + ((ParseResult.Invalid<DkimKeyRecord>) parsed).reason();
      }
    }
    return new Verdict(
        key,
        false,
        refused
            + "the record at "
            + name
            + " "
            + seen
            + "; publish "
            + KeysRecord.quoted(privateKey.keyRecord())
            + " or configure the matching key");
  }

  private static DkimPrivateKey privateKey(SigningKey key, boolean insecure) {
    if (key.key() instanceof KeySource.File file) {
      return KeyFiles.read(file.path(), insecure, "signing.insecure-key-permissions: true");
    }
    try {
      return DkimPrivateKey.parse(((KeySource.Inline) key.key()).key());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("unusable inline signing key: " + e.getMessage(), e);
    }
  }

  private static String describe(KeySource source) {
    return source instanceof KeySource.File f ? f.path().toString() : "inline key";
  }

  /** A resolver for the configuration's DNS settings, without a cache: each check is fresh. */
  static DnsResolver resolver(FilterConfig config) {
    FilterConfig.Dns dns = config.dns();
    if (dns.zoneFile() != null) {
      try {
        return ZoneResolver.fromFile(dns.zoneFile());
      } catch (IOException e) {
        throw new ConfigException("dns.zone-file " + dns.zoneFile() + ": " + e.getMessage(), e);
      }
    }
    DnsjavaResolver.Builder builder = DnsjavaResolver.builder().timeout(dns.timeout());
    for (String ns : dns.nameservers()) {
      builder.nameserver(address(ns));
    }
    return builder.build();
  }

  /** A configured name server ({@code IP}, {@code IP:PORT}, {@code [IPV6]:PORT}) as an address. */
  static InetSocketAddress address(String text) {
    String host = text;
    int port = 53;
    if (text.startsWith("[")) {
      int end = text.indexOf(']');
      host = text.substring(1, end);
      if (text.length() > end + 2) {
        port = Integer.parseInt(text.substring(end + 2));
      }
    } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (IOException e) {
      throw new ConfigException("dns.nameservers: " + text + ": " + e.getMessage(), e);
    }
  }
}
