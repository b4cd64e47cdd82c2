package org.authmill.milter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A packet from the filter to the MTA (libmilter {@code SMFIR_*}), and the negotiation reply.
 * Strings carry the wire's octets one char per byte (ISO-8859-1).
 */
public sealed interface MilterReply {
  /** The reply byte on the wire. */
  char code();

  /**
   * True for a reply that ends the MTA's wait for one command: everything except PROGRESS,
   * QUARANTINE and the message modifications, which may precede the final reply to end-of-message.
   */
  default boolean isFinal() {
    return true;
  }

  /**
   * {@code O}: the filter's answer to negotiation; {@code macros} maps a stage ({@link
   * MilterProtocol#STAGE_CONNECT}...) to space-separated macro names (empty: none requested).
   */
  record Negotiate(int version, int actions, int protocol, Map<Integer, String> macros)
      implements MilterReply {
    /** Validates and copies. */
    public Negotiate {
      macros = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(macros));
    }

    @Override
    public char code() {
      return 'O';
    }
  }

  /** {@code c}: go on. */
  record Continue() implements MilterReply {
    @Override
    public char code() {
      return 'c';
    }
  }

  /** {@code a}: accept; no more events for this message (or session, at CONNECT/HELO). */
  record Accept() implements MilterReply {
    @Override
    public char code() {
      return 'a';
    }
  }

  /** {@code r}: reject; the MTA answers 550 5.7.1. */
  record Reject() implements MilterReply {
    @Override
    public char code() {
      return 'r';
    }
  }

  /** {@code t}: temporary failure; the MTA answers 451 4.7.1. */
  record Tempfail() implements MilterReply {
    @Override
    public char code() {
      return 't';
    }
  }

  /** {@code d}: accept the message and silently drop it. */
  record Discard() implements MilterReply {
    @Override
    public char code() {
      return 'd';
    }
  }

  /** {@code y}: reject or tempfail with this SMTP reply text, such as {@code 550 5.7.1 text}. */
  record ReplyCode(String text) implements MilterReply {
    /** Validates. */
    public ReplyCode {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public char code() {
      return 'y';
    }
  }

  /** {@code p}: still working; resets the MTA's timer. */
  record Progress() implements MilterReply {
    @Override
    public char code() {
      return 'p';
    }

    @Override
    public boolean isFinal() {
      return false;
    }
  }

  /** {@code s}: skip the remaining events of this kind. */
  record Skip() implements MilterReply {
    @Override
    public char code() {
      return 's';
    }
  }

  /** {@code f}: connection failure (Postfix does not implement it). */
  record ConnFail() implements MilterReply {
    @Override
    public char code() {
      return 'f';
    }
  }

  /** {@code q}: put the message in the hold queue, with a reason; a final reply follows. */
  record Quarantine(String reason) implements MilterReply {
    /** Validates. */
    public Quarantine {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public char code() {
      return 'q';
    }

    @Override
    public boolean isFinal() {
      return false;
    }
  }

  /** {@code h}: append a header after the last one. */
  record AddHeader(String name, String value) implements MilterReply {
    /** Validates. */
    public AddHeader {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public char code() {
      return 'h';
    }

    @Override
    public boolean isFinal() {
      return false;
    }
  }

  /** {@code i}: insert a header at {@code index} (0 = the very top). */
  record InsertHeader(int index, String name, String value) implements MilterReply {
    /** Validates. */
    public InsertHeader {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public char code() {
      return 'i';
    }

    @Override
    public boolean isFinal() {
      return false;
    }
  }

  /** {@code m}: change the {@code index}-th (1-based) header of that name; empty value deletes. */
  record ChangeHeader(int index, String name, String value) implements MilterReply {
    /** Validates. */
    public ChangeHeader {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public char code() {
      return 'm';
    }

    @Override
    public boolean isFinal() {
      return false;
    }
  }

  /**
   * The envelope and body modifications this project never sends but a client must read: {@code +}
   * add recipient, {@code -} delete recipient, {@code 2} add recipient with arguments, {@code e}
   * change sender, {@code b} replace body chunk. {@code data} holds the raw packet data.
   */
  record OtherModification(char code, byte[] data) implements MilterReply {
    /** Validates. */
    public OtherModification {
      Objects.requireNonNull(data, "data");
      if ("+-2eb".indexOf(code) < 0) {
        throw new IllegalArgumentException("not a modification code: " + code);
      }
    }

    @Override
    public boolean isFinal() {
      return false;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof OtherModification m
          && m.code == code
          && java.util.Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
      return 31 * code + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "OtherModification[" + code + ", " + data.length + " bytes]";
    }
  }
}
