package org.authmill.milter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A packet from the MTA to the filter (libmilter {@code SMFIC_*}). Strings carry the wire's octets
 * one char per byte (ISO-8859-1), so every byte survives a round trip unchanged.
 */
public sealed interface MilterCommand {
  /** The command byte on the wire. */
  char code();

  /** {@code O}: option negotiation, the MTA's offer. */
  record Negotiate(int version, int actions, int protocol) implements MilterCommand {
    @Override
    public char code() {
      return 'O';
    }
  }

  /**
   * {@code D}: macros for the command {@code forCommand}; the map may be empty (Postfix sends only
   * macros that have a value). Names are kept as sent ({@code {daemon_name}} or {@code j}).
   */
  record Macros(char forCommand, Map<String, String> macros) implements MilterCommand {
    /** Validates and copies, keeping the order. */
    public Macros {
      macros = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(macros));
    }

    @Override
    public char code() {
      return 'D';
    }
  }

  /** The address family of a CONNECT packet. */
  enum Family {
    /** {@code U}: unknown; no port or address follows. */
    UNKNOWN('U'),
    /** {@code L}: a local (Unix-domain) socket; the address is its path. */
    UNIX('L'),
    /** {@code 4}: IPv4. */
    INET('4'),
    /** {@code 6}: IPv6. */
    INET6('6');

    private final char code;

    Family(char code) {
      this.code = code;
    }

    /** The family byte on the wire. */
    public char code() {
      return code;
    }

    /** The family of a wire byte, or null. */
    static Family of(int code) {
      for (Family f : values()) {
        if (f.code == code) {
          return f;
        }
      }
      return null;
    }
  }

  /**
   * {@code C}: the SMTP client's connection. {@code port} and {@code address} are 0 and "" for
   * UNKNOWN.
   */
  record Connect(String hostname, Family family, int port, String address)
      implements MilterCommand {
    /** Validates. */
    public Connect {
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(family, "family");
      Objects.requireNonNull(address, "address");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }

    @Override
    public char code() {
      return 'C';
    }
  }

  /** {@code H}: HELO or EHLO with its argument. */
  record Helo(String name) implements MilterCommand {
    /** Validates. */
    public Helo {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public char code() {
      return 'H';
    }
  }

  /** {@code M}: MAIL FROM; the first argument is the sender as typed ({@code <>} for none). */
  record Mail(List<String> args) implements MilterCommand {
    /** Validates and copies. */
    public Mail {
      args = List.copyOf(args);
    }

    @Override
    public char code() {
      return 'M';
    }
  }

  /** {@code R}: RCPT TO; the first argument is the recipient as typed. */
  record Rcpt(List<String> args) implements MilterCommand {
    /** Validates and copies. */
    public Rcpt {
      args = List.copyOf(args);
    }

    @Override
    public char code() {
      return 'R';
    }
  }

  /** {@code T}: DATA. */
  record Data() implements MilterCommand {
    @Override
    public char code() {
      return 'T';
    }
  }

  /** {@code L}: one header field; folded values hold a bare LF before each continuation line. */
  record Header(String name, String value) implements MilterCommand {
    /** Validates. */
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public char code() {
      return 'L';
    }
  }

  /** {@code N}: end of headers. */
  record EndOfHeaders() implements MilterCommand {
    @Override
    public char code() {
      return 'N';
    }
  }

  /** {@code B}: a chunk of the body, split anywhere. */
  record Body(byte[] chunk) implements MilterCommand {
    /** Validates. */
    public Body {
      Objects.requireNonNull(chunk, "chunk");
    }

    @Override
    public char code() {
      return 'B';
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Body b && java.util.Arrays.equals(chunk, b.chunk);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(chunk);
    }

    @Override
    public String toString() {
      return "Body[" + chunk.length + " bytes]";
    }
  }

  /**
   * {@code E}: end of the message; libmilter allows a last body chunk here (Postfix sends none).
   */
  record EndOfMessage(byte[] chunk) implements MilterCommand {
    /** Validates. */
    public EndOfMessage {
      Objects.requireNonNull(chunk, "chunk");
    }

    @Override
    public char code() {
      return 'E';
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EndOfMessage e && java.util.Arrays.equals(chunk, e.chunk);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(chunk);
    }

    @Override
    public String toString() {
      return "EndOfMessage[" + chunk.length + " bytes]";
    }
  }

  /** {@code A}: the transaction ended (Postfix sends it after every one); no reply. */
  record Abort() implements MilterCommand {
    @Override
    public char code() {
      return 'A';
    }
  }

  /** {@code Q}: the MTA is done and closes; no reply. */
  record Quit() implements MilterCommand {
    @Override
    public char code() {
      return 'Q';
    }
  }

  /** {@code K}: quit, but a new connection ({@code C}) follows on this socket; no reply. */
  record QuitNewConnection() implements MilterCommand {
    @Override
    public char code() {
      return 'K';
    }
  }

  /** {@code U}: an SMTP command the MTA did not recognise. */
  record Unknown(String line) implements MilterCommand {
    /** Validates. */
    public Unknown {
      Objects.requireNonNull(line, "line");
    }

    @Override
    public char code() {
      return 'U';
    }
  }
}
