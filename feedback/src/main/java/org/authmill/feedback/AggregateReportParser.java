package org.authmill.feedback;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads DMARC aggregate reports: RFC 9990 ({@code urn:ietf:params:xml:ns:dmarc-2.0}), RFC 7489
 * Appendix C ({@code http://dmarc.org/dmarc-xml/0.1}), and the pre-RFC drafts without a namespace,
 * as StAX events, one {@code record} at a time, so a report of a million rows needs the memory of
 * one row.
 *
 * <p>Safe: no DTD is accepted (a {@code DOCTYPE} is refused before the parser sees it, and the
 * parser itself has DTDs, external entities and external access off), so XXE and entity-expansion
 * attacks fail with a clear error. Tolerant of what reporters really send: any namespace or none,
 * prefixes, element names in any case, whitespace around values, enumerated values in any case, an
 * encoding declaration naming any JDK charset, bytes invalid in the declared encoding, stray {@code
 * <} and {@code &} in text (see {@link RepairingReader}), and junk after the root element.
 */
public final class AggregateReportParser {
  /** Receives a report as it is read. */
  public interface Handler {
    /**
     * The report's metadata, once, before its first record.
     *
     * @return false to stop reading (for instance, the report is already stored)
     */
    boolean metadata(ReportMetadata metadata) throws IOException;

    /** One record, in document order. */
    void record(ReportRecord record) throws IOException;
  }

  /** Most characters one top-level element (such as one record) may hold. */
  static final int MAX_PART_CHARS = 1 << 20;

  /** Most elements one top-level element may hold. */
  static final int MAX_PART_ELEMENTS = 10_000;

  /** Most records {@link #parse(InputStream)} keeps in memory. */
  public static final int MAX_IN_MEMORY_RECORDS = 100_000;

  private AggregateReportParser() {}

  /**
   * Reads a whole (uncompressed) report into memory.
   *
   * @throws ReportFormatException when it is not a readable aggregate report, or has more than
   *     {@link #MAX_IN_MEMORY_RECORDS} records
   */
  public static AggregateReport parse(InputStream xml) throws IOException {
    List<ReportRecord> records = new ArrayList<>();
    ReportMetadata[] meta = new ReportMetadata[1];
    parse(
        xml,
        new Handler() {
          @Override
          public boolean metadata(ReportMetadata metadata) {
            meta[0] = metadata;
            return true;
          }

          @Override
          public void record(ReportRecord record) throws ReportFormatException {
            if (records.size() >= MAX_IN_MEMORY_RECORDS) {
              throw new ReportFormatException(
                  "more than " + MAX_IN_MEMORY_RECORDS + " records; stream it with a Handler");
            }
            records.add(record);
          }
        });
    return new AggregateReport(meta[0], records);
  }

  /**
   * Streams a report (uncompressed XML bytes) to {@code handler}.
   *
   * @return true when the whole report was read, false when the handler stopped it
   * @throws ReportFormatException when it is not a readable aggregate report
   */
  public static boolean parse(InputStream xml, Handler handler) throws IOException {
    XMLStreamReader reader;
    RepairingReader repairing = new RepairingReader(XmlText.reader(xml));
    try {
      reader = factory().createXMLStreamReader(repairing);
    } catch (XMLStreamException e) {
      rethrowCause(e);
      if (!repairing.sawMarkup()) {
        throw new ReportFormatException("empty document: no XML markup", e);
      }
      throw new ReportFormatException("cannot read the report as XML: " + e.getMessage(), e);
    }
    try {
      return read(reader, handler);
    } catch (XMLStreamException e) {
      rethrowCause(e);
      if (!repairing.sawMarkup()) {
        throw new ReportFormatException("empty document: no XML markup", e);
      }
      throw new ReportFormatException("not well-formed XML: " + clean(e), e);
    } catch (RuntimeException e) {
      rethrowCause(e);
      throw new ReportFormatException("cannot read the report: " + e, e);
    } finally {
      try {
        reader.close();
      } catch (XMLStreamException e) {
        // nothing left to release
      }
    }
  }

  /**
   * The JDK's parser wraps I/O errors from the reader (a bomb check, a refused DOCTYPE) in its own
   * exceptions: the original explains the problem better.
   */
  private static void rethrowCause(Exception e) throws IOException {
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && depth < 10; depth++) {
      if (cause instanceof ReportFormatException r) {
        throw r;
      }
      if (cause instanceof IOException io && !(cause instanceof java.io.CharConversionException)) {
        throw io;
      }
      cause = cause.getCause();
    }
  }

  private static boolean read(XMLStreamReader reader, Handler handler)
      throws XMLStreamException, IOException {
    String root = null;
    while (reader.hasNext()) {
      int event = next(reader);
      if (event == XMLStreamConstants.DTD) {
        throw new ReportFormatException("the report has a DTD, which is refused");
      }
      if (event == XMLStreamConstants.START_ELEMENT) {
        // Some reporters wrap <feedback> in another element (an xs:schema, an envelope):
        // the first <feedback> at any depth is the report.
        if (name(reader).equals("feedback")) {
          return readFeedback(reader, handler);
        }
        if (root == null) {
          root = reader.getLocalName();
        }
      }
    }
    throw new ReportFormatException(
        root == null
            ? "empty document: no <feedback> element"
            : "not a DMARC aggregate report: no <feedback> element (the root is <" + root + ">)");
  }

  private static boolean readFeedback(XMLStreamReader reader, Handler handler)
      throws XMLStreamException, IOException {
    String version = "";
    XmlNode metadata = null;
    XmlNode policy = null;
    ReportMetadata sent = null;
    long recordNumber = 0;
    while (true) {
      int event = next(reader);
      if (event == XMLStreamConstants.END_ELEMENT) {
        break; // </feedback>: anything after it is ignored
      }
      if (event == XMLStreamConstants.END_DOCUMENT) {
        throw new ReportFormatException("the report ends before </feedback>");
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      XmlNode part = readNode(reader);
      switch (part.name) {
        case "version" -> version = part.text.toString().strip();
        case "report_metadata" -> metadata = part;
        case "policy_published" -> policy = part;
        case "record" -> {
          recordNumber++;
          if (sent == null) {
            sent = metadata(version, metadata, policy);
            if (!handler.metadata(sent)) {
              return false;
            }
          }
          handler.record(record(part, recordNumber));
        }
        default -> {
          // extension and unknown elements are skipped
        }
      }
    }
    if (sent == null) {
      sent = metadata(version, metadata, policy);
      return handler.metadata(sent);
    }
    return true;
  }

  /** Reads the element the reader is at (a START_ELEMENT) into a bounded tree. */
  private static XmlNode readNode(XMLStreamReader reader) throws XMLStreamException, IOException {
    XmlNode top = new XmlNode(name(reader));
    Deque<XmlNode> stack = new ArrayDeque<>();
    stack.push(top);
    int chars = 0;
    int elements = 1;
    while (!stack.isEmpty()) {
      int event = next(reader);
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          if (++elements > MAX_PART_ELEMENTS) {
            throw new ReportFormatException(
                "<" + top.name + "> has more than " + MAX_PART_ELEMENTS + " elements");
          }
          XmlNode child = new XmlNode(name(reader));
          stack.peek().children.add(child);
          stack.push(child);
        }
        case XMLStreamConstants.END_ELEMENT -> stack.pop();
        case XMLStreamConstants.CHARACTERS,
            XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE,
            XMLStreamConstants.ENTITY_REFERENCE -> {
          chars += reader.getTextLength();
          if (chars > MAX_PART_CHARS) {
            throw new ReportFormatException(
                "<" + top.name + "> holds more than " + MAX_PART_CHARS + " characters");
          }
          stack
              .peek()
              .text
              .append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
        }
        case XMLStreamConstants.END_DOCUMENT ->
            throw new ReportFormatException("the report ends inside <" + top.name + ">");
        default -> {
          // comments, processing instructions
        }
      }
    }
    return top;
  }

  private static ReportMetadata metadata(String version, XmlNode meta, XmlNode policy)
      throws ReportFormatException {
    if (meta == null) {
      throw new ReportFormatException("missing <report_metadata>");
    }
    if (policy == null) {
      throw new ReportFormatException("missing <policy_published>");
    }
    String reportId = meta.text("report_id");
    if (reportId.isEmpty()) {
      throw new ReportFormatException("missing <report_metadata><report_id>");
    }
    String domain = policy.text("domain").toLowerCase(Locale.ROOT);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (domain.isEmpty()) {
      throw new ReportFormatException("missing <policy_published><domain>");
    }
    Instant begin = time(meta, "date_range/begin");
    Instant end = time(meta, "date_range/end");
    List<String> errors = new ArrayList<>();
    for (XmlNode error : meta.all("error")) {
      String text = error.text.toString().strip();
      if (!text.isEmpty()) {
        errors.add(text);
      }
    }
    String pct = policy.text("pct");
    int percent = -1;
    if (!pct.isEmpty()) {
      try {
        percent = Integer.parseInt(pct);
      } catch (NumberFormatException e) {
        throw new ReportFormatException("<policy_published><pct> is not a number: '" + pct + "'");
      }
    }
    String testing = policy.has("testing") ? policy.word("testing") : policy.word("t");
    PolicyPublished published =
        new PolicyPublished(
            domain,
            policy.word("adkim"),
            policy.word("aspf"),
            policy.word("p"),
            policy.word("sp"),
            policy.word("np"),
            percent,
            policy.word("fo"),
            testing,
            policy.word("discovery_method"));
    String generator =
        meta.has("generator") ? meta.text("generator") : meta.text("report_generator");
    return new ReportMetadata(
        meta.text("org_name"),
        meta.text("email"),
        meta.text("extra_contact_info"),
        reportId,
        begin,
        end,
        errors,
        generator,
        version,
        published);
  }

  private static Instant time(XmlNode meta, String path) throws ReportFormatException {
    String text = meta.text(path);
    if (text.isEmpty()) {
      throw new ReportFormatException("missing <report_metadata><" + path.replace("/", "><") + ">");
    }
    try {
      if (text.matches("-?\\d{1,18}")) {
        return Instant.ofEpochSecond(Long.parseLong(text));
      }
      if (text.matches("-?\\d{1,18}\\.\\d*")) {
        return Instant.ofEpochSecond((long) Double.parseDouble(text));
      }
      return Instant.parse(text);
    } catch (RuntimeException e) {
      throw new ReportFormatException(
          "<" + path.replace("/", "><") + "> is not a Unix time: '" + text + "'");
    }
  }

  private static ReportRecord record(XmlNode record, long number) throws ReportFormatException {
    XmlNode row = record.child("row");
    if (row == null) {
      throw new ReportFormatException("record " + number + ": missing <row>");
    }
    String ip = row.text("source_ip").toLowerCase(Locale.ROOT);
    if (ip.isEmpty()) {
      throw new ReportFormatException("record " + number + ": missing <source_ip>");
    }
    String countText = row.text("count");
    long count;
    try {
      count = Long.parseLong(countText);
    } catch (NumberFormatException e) {
      throw new ReportFormatException(
          "record " + number + ": <count> is not a number: '" + countText + "'");
    }
    if (count < 0) {
      throw new ReportFormatException("record " + number + ": negative <count> " + count);
    }
    XmlNode evaluated = row.child("policy_evaluated");
    String disposition = "";
    String dkim = "";
    String spf = "";
    List<ReportRecord.Reason> reasons = new ArrayList<>();
    if (evaluated != null) {
      disposition = evaluated.word("disposition");
      dkim = evaluated.word("dkim");
      spf = evaluated.word("spf");
      for (XmlNode reason : evaluated.all("reason")) {
        String type = reason.word("type");
        String comment = reason.text("comment");
        if (!type.isEmpty() || !comment.isEmpty()) {
          reasons.add(new ReportRecord.Reason(type, comment));
        }
      }
    }
    XmlNode ids = record.child("identifiers");
    XmlNode auth = record.child("auth_results");
    List<ReportRecord.AuthResult> dkimResults = new ArrayList<>();
    List<ReportRecord.AuthResult> spfResults = new ArrayList<>();
    if (auth != null) {
      for (XmlNode d : auth.all("dkim")) {
        dkimResults.add(
            new ReportRecord.AuthResult(
                d.word("domain"), d.text("selector"), d.word("result"), d.text("human_result")));
      }
      for (XmlNode s : auth.all("spf")) {
        spfResults.add(
            new ReportRecord.AuthResult(
                s.word("domain"), s.word("scope"), s.word("result"), s.text("human_result")));
      }
    }
    return new ReportRecord(
        ip,
        count,
        disposition,
        dkim,
        spf,
        reasons,
        ids == null ? "" : ids.word("header_from"),
        ids == null ? "" : ids.word("envelope_from"),
        ids == null ? "" : ids.word("envelope_to"),
        dkimResults,
        spfResults);
  }

  private static int next(XMLStreamReader reader) throws XMLStreamException {
    return reader.next();
  }

  /** The element's local name without any prefix, in lower case. */
  private static String name(XMLStreamReader reader) {
    String name = reader.getLocalName();
    int colon = name.indexOf(':');
    if (colon >= 0) {
      name = name.substring(colon + 1);
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private static String clean(XMLStreamException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replace('\n', ' ');
  }

  private static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXMLResolver(
        (publicId, systemId, baseUri, namespace) -> {
          throw new XMLStreamException("external entity refused: " + systemId);
        });
    return factory;
  }
}
