package org.authmill.milter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the MTA is told for a filter's answer, as a pure function of the answer and what was
 * negotiated: a {@link Verdict} maps to one final reply, a {@link Decision} at end-of-message to
 * its header changes (in an order that keeps the occurrence numbers right), a quarantine, and the
 * final reply. What the MTA did not grant is left out, with a warning for the log.
 */
final class ReplyMapping {
  private ReplyMapping() {}

  /**
   * The replies and the warnings about what had to be left out.
   *
   * @param replies in the order they go to the MTA; the last one is final
   * @param warnings one line each, for the session's log
   */
  record Mapped(List<MilterReply> replies, List<String> warnings) {
    Mapped {
      replies = List.copyOf(replies);
      warnings = List.copyOf(warnings);
    }
  }

  /** The reply when the filter failed: continue or tempfail, as the error action says. */
  static MilterReply fallback(MilterSettings.ErrorAction errorAction) {
    return errorAction == MilterSettings.ErrorAction.TEMPFAIL
        ? new MilterReply.Tempfail()
        : new MilterReply.Continue();
  }

  /**
   * The final reply to a verdict. A reply text goes as SMFIR_REPLYCODE with {@code %} doubled;
   * DISCARD outside a message (connect, helo) becomes continue, with a warning.
   *
   * @param inMessage true from MAIL on, false for connect and helo
   */
  static Mapped verdict(Verdict verdict, boolean inMessage) {
    switch (verdict.action()) {
      case ACCEPT:
        return one(new MilterReply.Accept());
      case REJECT:
        return one(
            verdict
                .reply()
                .<MilterReply>map(r -> new MilterReply.ReplyCode(escapePercent(r)))
                .orElse(new MilterReply.Reject()));
      case TEMPFAIL:
        return one(
            verdict
                .reply()
                .<MilterReply>map(r -> new MilterReply.ReplyCode(escapePercent(r)))
                .orElse(new MilterReply.Tempfail()));
      case DISCARD:
        if (!inMessage) {
          return new Mapped(
              List.of(new MilterReply.Continue()),
              List.of("discard is for messages only; answering continue"));
        }
        return one(new MilterReply.Discard());
      default:
        return one(new MilterReply.Continue());
    }
  }

  /**
   * The replies to end-of-message. When the decision delivers: changes and deletions first (per
   * field name, the highest occurrence first, so that removing one does not renumber the next),
   * then insertions, then additions, then the quarantine; the verdict's reply last.
   *
   * @param version the negotiated protocol version (INSHEADER needs 3; before, an insertion is
   *     added at the end)
   * @param actions the negotiated actions
   * @param protocol the negotiated protocol flags (HDR_LEADSPC: values get their leading space)
   */
  static Mapped decision(Decision decision, int version, int actions, int protocol) {
    List<MilterReply> replies = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (decision.delivers()) {
      String prefix = (protocol & MilterProtocol.HDR_LEADSPC) != 0 ? " " : "";
      List<HeaderChange> ordered = new ArrayList<>();
      decision.changes().stream()
          .filter(c -> c instanceof HeaderChange.Change || c instanceof HeaderChange.Delete)
          .sorted(
              Comparator.comparing((HeaderChange c) -> c.name().toLowerCase(Locale.ROOT))
                  .thenComparing(c -> -occurrence(c)))
          .forEach(ordered::add);
      decision.changes().stream()
          .filter(c -> c instanceof HeaderChange.Insert)
          .forEach(ordered::add);
      decision.changes().stream().filter(c -> c instanceof HeaderChange.Add).forEach(ordered::add);
      for (HeaderChange change : ordered) {
        String needed = needs(change);
        int flag = needed.equals("ADDHDRS") ? MilterProtocol.ADDHDRS : MilterProtocol.CHGHDRS;
        if ((actions & flag) == 0) {
          warnings.add("MTA did not grant " + needed + "; skipping " + change);
        } else {
          replies.add(modification(change, prefix, version));
        }
      }
      if (decision.quarantine().isPresent()) {
        if ((actions & MilterProtocol.QUARANTINE) != 0) {
          replies.add(new MilterReply.Quarantine(decision.quarantine().get()));
        } else {
          warnings.add(
              "quarantine asked but not negotiated with the MTA; delivering: "
                  + decision.quarantine().get());
        }
      }
    }
    Mapped last = verdict(decision.verdict(), true);
    replies.addAll(last.replies());
    warnings.addAll(last.warnings());
    return new Mapped(replies, warnings);
  }

  private static Mapped one(MilterReply reply) {
    return new Mapped(List.of(reply), List.of());
  }

  private static String needs(HeaderChange change) {
    return change instanceof HeaderChange.Add || change instanceof HeaderChange.Insert
        ? "ADDHDRS"
        : "CHGHDRS";
  }

  private static int occurrence(HeaderChange c) {
    if (c instanceof HeaderChange.Change ch) {
      return ch.occurrence();
    }
    return ((HeaderChange.Delete) c).occurrence();
  }

  private static MilterReply modification(HeaderChange change, String prefix, int version) {
    if (change instanceof HeaderChange.Add a) {
      return new MilterReply.AddHeader(a.name(), prefix + a.value());
    } else if (change instanceof HeaderChange.Insert i) {
      if (version < 3) {
        // INSHEADER came with version 3; older MTAs can only append.
        return new MilterReply.AddHeader(i.name(), prefix + i.value());
      }
      return new MilterReply.InsertHeader(i.index(), i.name(), prefix + i.value());
    } else if (change instanceof HeaderChange.Change c) {
      return new MilterReply.ChangeHeader(c.occurrence(), c.name(), prefix + c.value());
    } else {
      HeaderChange.Delete d = (HeaderChange.Delete) change;
      return new MilterReply.ChangeHeader(d.occurrence(), d.name(), "");
    }
  }

  /** The MTA reads the reply text as a format string: a literal {@code %} is doubled. */
  private static String escapePercent(SmtpReply reply) {
    String text = reply.toString();
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return new String(utf8, StandardCharsets.ISO_8859_1).replace("%", "%%");
  }
}
