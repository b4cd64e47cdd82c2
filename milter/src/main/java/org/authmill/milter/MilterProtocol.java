package org.authmill.milter;

/**
 * The numbers of the milter protocol: version, action flags ({@code SMFIF_*}), protocol flags
 * ({@code SMFIP_*}) and macro stages, as Sendmail's {@code include/libmilter/mfdef.h} defines them.
 */
public final class MilterProtocol {
  /** The protocol version this implementation speaks. */
  public static final int VERSION = 6;

  /** Action: add and insert headers. */
  public static final int ADDHDRS = 0x01;

  /** Action: replace the body. */
  public static final int CHGBODY = 0x02;

  /** Action: add recipients. */
  public static final int ADDRCPT = 0x04;

  /** Action: delete recipients. */
  public static final int DELRCPT = 0x08;

  /** Action: change and delete headers. */
  public static final int CHGHDRS = 0x10;

  /** Action: quarantine (hold) the message. */
  public static final int QUARANTINE = 0x20;

  /** Action: change the envelope sender. */
  public static final int CHGFROM = 0x40;

  /** Action: add recipients with ESMTP arguments. */
  public static final int ADDRCPT_PAR = 0x80;

  /** Action: the filter names the macros it wants per stage. */
  public static final int SETSYMLIST = 0x100;

  /** Protocol: no CONNECT event. */
  public static final int NOCONNECT = 0x1;

  /** Protocol: no HELO event. */
  public static final int NOHELO = 0x2;

  /** Protocol: no MAIL event. */
  public static final int NOMAIL = 0x4;

  /** Protocol: no RCPT event. */
  public static final int NORCPT = 0x8;

  /** Protocol: no BODY events. */
  public static final int NOBODY = 0x10;

  /** Protocol: no HEADER events. */
  public static final int NOHDRS = 0x20;

  /** Protocol: no end-of-headers event. */
  public static final int NOEOH = 0x40;

  /** Protocol: the filter does not reply to HEADER. */
  public static final int NR_HDR = 0x80;

  /** Protocol: no UNKNOWN event. */
  public static final int NOUNKNOWN = 0x100;

  /** Protocol: no DATA event. */
  public static final int NODATA = 0x200;

  /** Protocol: the MTA understands SKIP. */
  public static final int SKIP = 0x400;

  /** Protocol: the MTA also sends rejected recipients. */
  public static final int RCPT_REJ = 0x800;

  /** Protocol: the filter does not reply to CONNECT. */
  public static final int NR_CONN = 0x1000;

  /** Protocol: the filter does not reply to HELO. */
  public static final int NR_HELO = 0x2000;

  /** Protocol: the filter does not reply to MAIL. */
  public static final int NR_MAIL = 0x4000;

  /** Protocol: the filter does not reply to RCPT. */
  public static final int NR_RCPT = 0x8000;

  /** Protocol: the filter does not reply to DATA. */
  public static final int NR_DATA = 0x10000;

  /** Protocol: the filter does not reply to UNKNOWN. */
  public static final int NR_UNKN = 0x20000;

  /** Protocol: the filter does not reply to end-of-headers. */
  public static final int NR_EOH = 0x40000;

  /** Protocol: the filter does not reply to BODY. */
  public static final int NR_BODY = 0x80000;

  /** Protocol: header values keep their leading whitespace, both ways. */
  public static final int HDR_LEADSPC = 0x100000;

  /** Every action flag of version 6 (what Postfix offers). */
  public static final int ALL_ACTIONS = 0x1FF;

  /** Every protocol flag of version 6 (what Postfix offers). */
  public static final int ALL_PROTOCOL = 0x1FFFFF;

  /** Macro stage of CONNECT in the negotiation reply. */
  public static final int STAGE_CONNECT = 0;

  /** Macro stage of HELO. */
  public static final int STAGE_HELO = 1;

  /** Macro stage of MAIL. */
  public static final int STAGE_MAIL = 2;

  /** Macro stage of RCPT. */
  public static final int STAGE_RCPT = 3;

  /** Macro stage of DATA. */
  public static final int STAGE_DATA = 4;

  /** Macro stage of end-of-message. */
  public static final int STAGE_EOM = 5;

  /** Macro stage of end-of-headers. */
  public static final int STAGE_EOH = 6;

  /** The largest body chunk an MTA sends in one BODY packet. */
  public static final int MAX_BODY_CHUNK = 65535;

  private MilterProtocol() {}
}
