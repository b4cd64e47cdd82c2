package org.authmill.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.authmill.dkim.DkimPrivateKey;

/**
 * The durable key state under {@code STATE_DIR/keys/}: {@code state.json} (the {@link KeyRing},
 * mode 0600 as it may hold a TSIG secret), the private keys as {@code DOMAIN/SELECTOR.private}
 * (PKCS#8 PEM, mode 0600) and retired keys under {@code archive/}. The directory is mode 0700.
 *
 * <p>Every change is written to a temporary file, forced to disk and renamed over the state file,
 * so a reader (such as {@code serve}) sees the old state or the new one, never half of one; changes
 * are made under an exclusive lock on {@code lock}, so {@code keys rotate} and {@code serve} do not
 * overwrite each other's steps.
 */
public final class KeyStore {
  /** State files larger than this are not read. */
  public static final long MAX_STATE_BYTES = 4L * 1024 * 1024;

  private static final Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path directory;

  private KeyStore(Path directory) {
    this.directory = directory;
  }

  /** The store under {@code stateDir/keys/}, created (mode 0700) on first use. */
  public static KeyStore at(Path stateDir) {
    return new KeyStore(stateDir.resolve("keys"));
  }

  /** The keys directory. */
  public Path directory() {
    return directory;
  }

  /** The state file. */
  public Path stateFile() {
    return directory.resolve("state.json");
  }

  /** The state file's modification time, or empty when there is none yet (for reloading). */
  public Optional<FileTime> lastModified() {
    try {
      return Optional.of(Files.getLastModifiedTime(stateFile()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Reads the current state; empty when there is no state file yet. */
  public KeyRing read() {
    Path file = stateFile();
    if (!Files.exists(file)) {
      return KeyRing.empty();
    }
    try {
      if (Files.size(file) > MAX_STATE_BYTES) {
        throw new IllegalStateException(file + " is larger than " + MAX_STATE_BYTES + " octets");
      }
      return fromJson(MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the key state " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the key state " + file + " is damaged: " + e.getMessage() + "; restore it from a backup",
          e);
    }
  }

  /**
   * Applies a change under the lock: reads the state, applies {@code change}, writes the result
   * atomically when it differs, and returns it. Waits for another process's change to finish.
   */
  public KeyRing update(UnaryOperator<KeyRing> change) {
    return locked(true, change).orElseThrow();
  }

  /** As {@link #update}, but returns empty at once when another process holds the lock. */
  public Optional<KeyRing> tryUpdate(UnaryOperator<KeyRing> change) {
    return locked(false, change);
  }

  private synchronized Optional<KeyRing> locked(boolean wait, UnaryOperator<KeyRing> change) {
    ensureDirectory();
    try (FileChannel channel =
        FileChannel.open(
            directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = wait ? channel.lock() : channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        return Optional.empty();
      }
      try {
        KeyRing before = read();
        KeyRing after = change.apply(before);
        if (!after.equals(before)) {
          write(after);
        }
        return Optional.of(after);
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + directory.resolve("lock"), e);
    }
  }

  /** Writes a new private key (0600) for a key, as {@code DOMAIN/SELECTOR.private}. */
  public String writePrivateKey(String domain, String selector, DkimPrivateKey key) {
    ensureDirectory();
    String relative = domain + "/" + selector + ".private";
    Path file = directory.resolve(relative);
    try {
      Files.createDirectories(file.getParent());
      Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
      writeOwnerOnly(file, key.toPkcs8Pem().getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the private key " + file, e);
    }
    return relative;
  }

  /** The absolute path of a key's private key file. */
  public Path privateKeyPath(ManagedKey key) {
    return directory.resolve(key.keyFile());
  }

  /** Reads a key's private key. */
  public DkimPrivateKey readPrivateKey(ManagedKey key) {
    try {
      return DkimPrivateKey.read(privateKeyPath(key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the private key " + privateKeyPath(key), e);
    }
  }

  /** Deletes a retired key's private key, or moves it under {@code archive/}. */
  public void disposePrivateKey(ManagedKey key, boolean archive) {
    Path file = privateKeyPath(key);
    try {
      if (archive) {
        Path target = directory.resolve("archive").resolve(key.keyFile());
        Files.createDirectories(target.getParent());
        Files.setPosixFilePermissions(
            directory.resolve("archive"), PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(file)) {
          Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot dispose of the private key " + file, e);
    }
  }

  private void ensureDirectory() {
    try {
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the key state directory " + directory + ": " + e.getMessage(), e);
    }
  }

  private void write(KeyRing ring) throws IOException {
    byte[] json = MAPPER.writeValueAsBytes(toJson(ring));
    Path temp = directory.resolve("state.json.tmp");
    Files.deleteIfExists(temp);
    writeOwnerOnly(temp, json);
    try {
      Files.move(
          temp, stateFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, stateFile(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    try (FileChannel channel =
            FileChannel.open(
                file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(content);
      out.flush();
      channel.force(true);
    }
    Files.setPosixFilePermissions(file, OWNER_ONLY);
  }

  // ------------------------------------------------------------------------------------------
  // JSON

  static ObjectNode toJson(KeyRing ring) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", 1);
    ArrayNode domains = root.putArray("domains");
    for (DomainSettings s : ring.domains()) {
      ObjectNode d = domains.addObject();
      d.put("domain", s.domain());
      d.put("dns_server", s.dnsServer().orElse(null));
      d.put("tsig", s.tsig().orElse(null));
      d.put("tsig_file", s.tsigFile().orElse(null));
      ArrayNode auth = d.putArray("authoritative");
      s.authoritative().forEach(auth::add);
      d.put("ttl", s.ttl());
      d.put("retention", s.retention().toString());
      d.put("overlap", s.overlap());
      d.put("removal", s.removal().keyword());
      d.put("archive", s.archive());
      d.put("rsa_bits", s.rsaBits());
      d.put("selector_format", s.selectorFormat());
      d.put("rotate_every", s.rotateEvery().map(Duration::toString).orElse(null));
    }
    ArrayNode keys = root.putArray("keys");
    for (ManagedKey k : ring.keys()) {
      ObjectNode o = keys.addObject();
      o.put("domain", k.domain());
      o.put("algorithm", k.algorithm().keyword());
      o.put("selector", k.selector());
      o.put("state", k.state().keyword());
      o.put("key_file", k.keyFile());
      o.put("record", k.record());
      o.put("ttl", k.ttl());
      o.put("created", k.created().toString());
      o.put("published", k.published().map(Instant::toString).orElse(null));
      o.put("activated", k.activated().map(Instant::toString).orElse(null));
      o.put("retire_at", k.retireAt().map(Instant::toString).orElse(null));
      o.put("removed", k.removed().map(Instant::toString).orElse(null));
      o.put("reason", k.reason().orElse(null));
    }
    return root;
  }

  static KeyRing fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (root.path("version").asInt(0) != 1) {
      throw new IllegalArgumentException("unknown state version " + root.path("version"));
    }
    List<DomainSettings> domains = new ArrayList<>();
    for (JsonNode d : root.path("domains")) {
      List<String> auth = new ArrayList<>();
      d.path("authoritative").forEach(a -> auth.add(a.asText()));
      domains.add(
          new DomainSettings(
              text(d, "domain"),
              optional(d, "dns_server"),
              optional(d, "tsig"),
              optional(d, "tsig_file"),
              auth,
              d.path("ttl").asLong(DomainSettings.DEFAULT_TTL),
              Duration.parse(text(d, "retention")),
              d.path("overlap").asBoolean(false),
              RemovalMode.parse(text(d, "removal")),
              d.path("archive").asBoolean(false),
              d.path("rsa_bits").asInt(2048),
              text(d, "selector_format"),
              optional(d, "rotate_every").map(Duration::parse)));
    }
    List<ManagedKey> keys = new ArrayList<>();
    for (JsonNode k : root.path("keys")) {
      keys.add(
          new ManagedKey(
              text(k, "domain"),
              KeyAlgorithm.parse(text(k, "algorithm")),
              text(k, "selector"),
              KeyState.fromKeyword(text(k, "state")),
              text(k, "key_file"),
              text(k, "record"),
              k.path("ttl").asLong(),
              Instant.parse(text(k, "created")),
              optional(k, "published").map(Instant::parse),
              optional(k, "activated").map(Instant::parse),
              optional(k, "retire_at").map(Instant::parse),
              optional(k, "removed").map(Instant::parse),
              optional(k, "reason")));
    }
    return new KeyRing(domains, keys);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v.asText();
  }

  private static Optional<String> optional(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }
}
