package org.authmill.milter.client;

import java.util.List;
import java.util.Optional;
import org.authmill.milter.MilterReply;

/**
 * How a filter answered one transaction: the reply that ended it (to end-of-message, or to an
 * earlier event that rejected, deferred, discarded or accepted), the stage it came at, the
 * modifications and quarantine that preceded it, and how many PROGRESS packets came.
 */
public record MilterResult(
    String stage,
    MilterReply finalReply,
    List<MilterReply> modifications,
    Optional<String> quarantine,
    int progress) {

  /** Copies. */
  public MilterResult {
    modifications = List.copyOf(modifications);
  }

  /** True when the message would be delivered: continue or accept at end-of-message. */
  public boolean delivered() {
    return finalReply instanceof MilterReply.Continue || finalReply instanceof MilterReply.Accept;
  }

  /**
   * The header as Postfix would deliver it: the original fields with the modifications applied in
   * order (change/delete by 1-based occurrence of the name, case-insensitively; insert at an index;
   * add at the end). Values are shown as the filter sent them.
   */
  public List<MilterMessage.Field> apply(List<MilterMessage.Field> original) {
    java.util.ArrayList<MilterMessage.Field> fields = new java.util.ArrayList<>(original);
    for (MilterReply m : modifications) {
      if (m instanceof MilterReply.AddHeader a) {
        fields.add(new MilterMessage.Field(a.name(), a.value()));
      } else if (m instanceof MilterReply.InsertHeader i) {
        fields.add(
            Math.min(i.index(), fields.size()), new MilterMessage.Field(i.name(), i.value()));
      } else if (m instanceof MilterReply.ChangeHeader c) {
        int seen = 0;
        for (int k = 0; k < fields.size(); k++) {
          if (fields.get(k).name().equalsIgnoreCase(c.name()) && ++seen == c.index()) {
            if (c.value().isEmpty()) {
              fields.remove(k);
            } else {
              fields.set(k, new MilterMessage.Field(fields.get(k).name(), c.value()));
            }
            break;
          }
        }
      }
    }
    return fields;
  }
}
