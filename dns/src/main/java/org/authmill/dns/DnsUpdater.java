package org.authmill.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Changes TXT records at a zone's primary server by DNS UPDATE (RFC 2136), signed with TSIG (RFC
 * 8945) when a key is given, over TCP (an RSA key record and its signature do not fit 512 octets).
 * Each call answers with an {@link UpdateOutcome}; nothing throws for a DNS outcome.
 *
 * <pre>{@code
 * DnsUpdater updater = DnsUpdater.builder(new InetSocketAddress("192.0.2.53", 53))
 *     .tsig(TsigKey.parse("hmac-sha256:authmill.:BASE64"))
 *     .build();
 * UpdateOutcome done = updater.addTxt("example.com", "s1._domainkey.example.com", 300,
 *     "v=DKIM1; k=ed25519; p=...").toCompletableFuture().join();
 * }</pre>
 */
public final class DnsUpdater {
  /** The longest character-string in a TXT record (RFC 1035 §3.3). */
  static final int MAX_STRING = 255;

  private final InetSocketAddress primary;
  private final Optional<TsigKey> tsig;
  private final Duration timeout;
  private final Executor executor;

  private DnsUpdater(Builder builder) {
    this.primary = builder.primary;
    this.tsig = Optional.ofNullable(builder.tsig);
    this.timeout = builder.timeout;
    this.executor = builder.executor;
  }

  /** A builder sending to {@code primary}, unsigned, with a 5 s timeout. */
  public static Builder builder(InetSocketAddress primary) {
    return new Builder(primary);
  }

  /** The primary server updates go to. */
  public InetSocketAddress primary() {
    return primary;
  }

  /**
   * Finds the zone that holds {@code name} at the primary: asks it for the SOA of the name and
   * takes the owner of the SOA record in the answer or authority section (RFC 2136 §4.1). Empty
   * with a reason when the primary serves no zone for the name.
   */
  public CompletionStage<ZoneLookup> zoneOf(String name) {
    Name owner;
    try {
      owner = absolute(name);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new ZoneLookup(Optional.empty(), UpdateOutcome.Status.FAILED, e.getMessage()));
    }
    Message query = Message.newQuery(Record.newRecord(owner, Type.SOA, DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    return resolver(false)
        .sendAsync(query, executor)
        .handle(
            (response, error) -> {
              if (error != null) {
                UpdateOutcome failed = failure(error, "SOA query for " + text(owner));
                return new ZoneLookup(Optional.empty(), failed.status(), failed.reason());
              }
              for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
                for (Record r : response.getSection(section)) {
                  if (r instanceof SOARecord && owner.subdomain(r.getName())) {
                    if (!response.getHeader().getFlag(Flags.AA)) {
                      break;
                    }
                    return new ZoneLookup(
                        Optional.of(text(r.getName())),
                        UpdateOutcome.Status.APPLIED,
                        "zone " + text(r.getName()));
                  }
                }
              }
              return new ZoneLookup(
                  Optional.empty(),
                  UpdateOutcome.Status.NOTZONE,
                  "the primary "
                      + describe(primary)
                      + " serves no zone holding "
                      + text(owner)
                      + " (it answered "
                      + Rcode.string(response.getRcode())
                      + (response.getHeader().getFlag(Flags.AA) ? "" : " without authority")
                      + " to an SOA query): check --dns-server and that the zone is configured"
                      + " there");
            });
  }

  /**
   * The primary's answer to a zone lookup: the zone, or the status and reason why none was found.
   */
  public record ZoneLookup(Optional<String> zone, UpdateOutcome.Status status, String reason) {
    /** Validates. */
    public ZoneLookup {
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Adds one TXT record (RFC 2136 §2.5.1), leaving any other TXT records at the name. */
  public CompletionStage<UpdateOutcome> addTxt(String zone, String name, long ttl, String text) {
    return send(zone, name, "add TXT", (update, owner) -> update.add(txt(owner, ttl, text)));
  }

  /** Replaces every TXT record at the name by this one (delete the RRset, then add). */
  public CompletionStage<UpdateOutcome> replaceTxt(
      String zone, String name, long ttl, String text) {
    return send(
        zone,
        name,
        "replace TXT",
        (update, owner) -> {
          update.delete(owner, Type.TXT);
          update.add(txt(owner, ttl, text));
        });
  }

  /** Deletes one TXT record, the one with exactly this text (RFC 2136 §2.5.4). */
  public CompletionStage<UpdateOutcome> deleteTxt(String zone, String name, String text) {
    return send(zone, name, "delete TXT", (update, owner) -> update.delete(txt(owner, 0, text)));
  }

  /** Deletes every TXT record at the name (RFC 2136 §2.5.2). */
  public CompletionStage<UpdateOutcome> deleteAllTxt(String zone, String name) {
    return send(zone, name, "delete all TXT", (update, owner) -> update.delete(owner, Type.TXT));
  }

  private interface Change {
    void apply(Update update, Name owner);
  }

  private CompletionStage<UpdateOutcome> send(
      String zone, String name, String what, Change change) {
    Name zoneName;
    Name owner;
    try {
      zoneName = absolute(zone);
      owner = absolute(name);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new UpdateOutcome(UpdateOutcome.Status.FAILED, e.getMessage()));
    }
    Update update = new Update(zoneName);
    change.apply(update, owner);
    String action = what + " " + text(owner) + " in zone " + text(zoneName);
    return resolver(true)
        .sendAsync(update, executor)
        .handle(
            (response, error) ->
                error != null ? failure(error, action) : interpret(response, action, zoneName));
  }

  private UpdateOutcome interpret(Message response, String action, Name zone) {
    int rcode = response.getRcode();
    TSIGRecord signature = response.getTSIG();
    int tsigError = signature == null ? Rcode.NOERROR : signature.getError();
    String at = " at " + describe(primary);
    if (tsigError != Rcode.NOERROR) {
      return new UpdateOutcome(
          UpdateOutcome.Status.NOTAUTH,
          action
              + at
              + ": the server rejected the TSIG signature ("
              + Rcode.TSIGstring(tsigError)
              + "): "
              + switch (tsigError) {
                case Rcode.BADKEY ->
                    "it does not know key "
                        + tsig.map(TsigKey::name).orElse("(none)")
                        + " with this algorithm, or its policy does not let the key update the zone;"
                        + " check the key name and algorithm and the server's acl/update-policy";
                case Rcode.BADSIG ->
                    "the secret of key "
                        + tsig.map(TsigKey::name).orElse("(none)")
                        + " differs from the server's; copy the secret again";
                case Rcode.BADTIME ->
                    "the clocks differ by more than the fudge; synchronize"
                        + " this host's clock (NTP)";
                default -> "check the TSIG key";
              });
    }
    if (rcode == Rcode.NOERROR) {
      if (tsig.isPresent() && !response.isVerified()) {
        return new UpdateOutcome(
            UpdateOutcome.Status.FAILED,
            action
                + at
                + ": the answer's TSIG signature does not verify, so the change is not known to"
                + " be applied; check that the TSIG secret is the server's");
      }
      return new UpdateOutcome(UpdateOutcome.Status.APPLIED, action + at + ": applied");
    }
    return switch (rcode) {
      case Rcode.REFUSED ->
          new UpdateOutcome(
              UpdateOutcome.Status.REFUSED,
              action
                  + at
                  + ": REFUSED; the server's policy does not allow this update (BIND"
                  + " update-policy, Knot acl with action update), or the zone is frozen");
      case Rcode.NOTAUTH ->
          new UpdateOutcome(
              tsig.isPresent() ? UpdateOutcome.Status.NOTZONE : UpdateOutcome.Status.NOTAUTH,
              action
                  + at
                  + (tsig.isPresent()
                      ? ": NOTAUTH; the server is not authoritative for zone "
                          + text(zone)
                          + "; check the zone name and that --dns-server is its primary"
                      : ": NOTAUTH; the server wants a signed update: pass --tsig or --tsig-file"));
      case Rcode.NOTZONE ->
          new UpdateOutcome(
              UpdateOutcome.Status.NOTZONE,
              action + at + ": NOTZONE; the name is not within zone " + text(zone));
      default ->
          new UpdateOutcome(UpdateOutcome.Status.FAILED, action + at + ": " + Rcode.string(rcode));
    };
  }

  private UpdateOutcome failure(Throwable error, String action) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof SocketTimeoutException
        || cause instanceof java.util.concurrent.TimeoutException
        || (cause instanceof IOException
            && cause.getMessage() != null
            && cause.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out"))) {
      return new UpdateOutcome(
          UpdateOutcome.Status.TIMEOUT,
          action
              + ": no answer from "
              + describe(primary)
              + " within "
              + timeout.toMillis()
              + " ms; check that it runs and that this host may reach it");
    }
    String message = cause.getMessage();
    return new UpdateOutcome(
        UpdateOutcome.Status.FAILED,
        action
            + ": "
            + describe(primary)
            + " failed: "
            + cause.getClass().getSimpleName()
            + (message == null ? "" : " (" + message + ")"));
  }

  private SimpleResolver resolver(boolean signed) {
    SimpleResolver resolver = new SimpleResolver(primary);
    resolver.setTimeout(timeout);
    resolver.setTCP(true);
    if (signed) {
      tsig.ifPresent(key -> resolver.setTSIGKey(key.toTsig()));
    }
    return resolver;
  }

  /** A TXT record whose text is split into character-strings of at most 255 octets. */
  static TXTRecord txt(Name owner, long ttl, String text) {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < text.length(); i += MAX_STRING) {
      strings.add(text.substring(i, Math.min(text.length(), i + MAX_STRING)));
    }
    if (strings.isEmpty()) {
      strings.add("");
    }
    return new TXTRecord(owner, DClass.IN, ttl, strings);
  }

  static Name absolute(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + name);
    }
  }

  static String text(Name name) {
    return name.toString(true);
  }

  static String describe(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  /** Settings for a {@link DnsUpdater}. */
  public static final class Builder {
    private final InetSocketAddress primary;
    private TsigKey tsig;
    private Duration timeout = Duration.ofSeconds(5);
    private Executor executor = ForkJoinPool.commonPool();

    private Builder(InetSocketAddress primary) {
      this.primary = Objects.requireNonNull(primary, "primary");
    }

    /** Signs every update with this key (RFC 8945); unsigned without one. */
    public Builder tsig(TsigKey key) {
      this.tsig = key;
      return this;
    }

    /** How long to wait for the primary's answer (default 5 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Where dnsjava completes its futures (default: the common pool). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The updater. */
    public DnsUpdater build() {
      return new DnsUpdater(this);
    }
  }
}
