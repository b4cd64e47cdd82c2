package org.authmill.report;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Writes and reads the XML of an aggregate report in RFC 9990's format: root {@code feedback} in
 * the namespace {@value #NAMESPACE}, {@code version} 1.0, then {@code report_metadata}, {@code
 * policy_published} and the records, each element in the order RFC 9990 §3.1.1 lists.
 */
public final class ReportXml {
  /** The DMARC aggregate report namespace (RFC 9990 §6.1). */
  public static final String NAMESPACE = "urn:ietf:params:xml:ns:dmarc-2.0";

  /** The largest report {@link #parse} reads. */
  public static final int MAX_PARSE_BYTES = 64 * 1024 * 1024;

  private ReportXml() {}

  /** The report as UTF-8 XML text. */
  public static String write(AggregateReport report) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      w.setDefaultNamespace(NAMESPACE);
      w.writeStartElement(NAMESPACE, "feedback");
      w.writeDefaultNamespace(NAMESPACE);
      text(w, "version", "1.0", 1);
      ReportMetadata m = report.metadata();
      start(w, "report_metadata", 1);
      text(w, "org_name", m.orgName(), 2);
      text(w, "email", m.email(), 2);
      optional(w, "extra_contact_info", m.extraContactInfo(), 2);
      text(w, "report_id", m.reportId(), 2);
      start(w, "date_range", 2);
      text(w, "begin", Long.toString(m.begin()), 3);
      text(w, "end", Long.toString(m.end()), 3);
      end(w, 2);
      optional(w, "error", m.error(), 2);
      optional(w, "generator", m.generator(), 2);
      end(w, 1);
      PolicyPublished p = report.published();
      start(w, "policy_published", 1);
      text(w, "domain", p.domain(), 2);
      text(w, "discovery_method", p.discoveryMethod(), 2);
      text(w, "p", p.p(), 2);
      optional(w, "sp", p.sp(), 2);
      optional(w, "np", p.np(), 2);
      text(w, "fo", p.fo(), 2);
      text(w, "adkim", p.adkim(), 2);
      text(w, "aspf", p.aspf(), 2);
      text(w, "testing", p.testing(), 2);
      end(w, 1);
      for (CountedRow record : report.records()) {
        writeRecord(w, record);
      }
      nl(w, 0);
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing report XML", e);
    }
    return out.toString();
  }

  private static void writeRecord(XMLStreamWriter w, CountedRow record) throws XMLStreamException {
    ReportRow r = record.row();
    start(w, "record", 1);
    start(w, "row", 2);
    text(w, "source_ip", r.sourceIp(), 3);
    text(w, "count", Long.toString(record.count()), 3);
    start(w, "policy_evaluated", 3);
    text(w, "disposition", r.evaluated().disposition(), 4);
    text(w, "dkim", r.evaluated().dkim(), 4);
    text(w, "spf", r.evaluated().spf(), 4);
    for (OverrideReason reason : r.evaluated().reasons()) {
      start(w, "reason", 4);
      text(w, "type", reason.type(), 5);
      optional(w, "comment", reason.comment(), 5);
      end(w, 4);
    }
    end(w, 3);
    end(w, 2);
    start(w, "identifiers", 2);
    text(w, "header_from", r.headerFrom(), 3);
    optional(w, "envelope_from", r.envelopeFrom(), 3);
    optional(w, "envelope_to", r.envelopeTo(), 3);
    end(w, 2);
    start(w, "auth_results", 2);
    for (DkimAuth d : r.dkim()) {
      start(w, "dkim", 3);
      text(w, "domain", d.domain(), 4);
      text(w, "selector", d.selector(), 4);
      text(w, "result", d.result(), 4);
      end(w, 3);
    }
    if (r.spf().isPresent()) {
      SpfAuth s = r.spf().get();
      start(w, "spf", 3);
      text(w, "domain", s.domain(), 4);
      text(w, "scope", s.scope(), 4);
      text(w, "result", s.result(), 4);
      end(w, 3);
    }
    end(w, 2);
    end(w, 1);
  }

  private static void start(XMLStreamWriter w, String name, int depth) throws XMLStreamException {
    nl(w, depth);
    w.writeStartElement(NAMESPACE, name);
  }

  private static void end(XMLStreamWriter w, int depth) throws XMLStreamException {
    nl(w, depth);
    w.writeEndElement();
  }

  private static void text(XMLStreamWriter w, String name, String value, int depth)
      throws XMLStreamException {
    nl(w, depth);
    w.writeStartElement(NAMESPACE, name);
    w.writeCharacters(value);
    w.writeEndElement();
  }

  private static void optional(XMLStreamWriter w, String name, Optional<String> value, int depth)
      throws XMLStreamException {
    if (value.isPresent()) {
      text(w, name, value.get(), depth);
    }
  }

  private static void nl(XMLStreamWriter w, int depth) throws XMLStreamException {
    w.writeCharacters("\n" + "  ".repeat(Math.max(0, depth)));
  }

  /**
   * Reads a report written in RFC 9990's format (namespaced or not), with DTDs and external
   * entities refused.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static AggregateReport parse(byte[] xml) {
    if (xml.length > MAX_PARSE_BYTES) {
      throw new IllegalArgumentException("report larger than " + MAX_PARSE_BYTES + " bytes");
    }
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      doc = b.parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalArgumentException("not an XML report: " + e.getMessage(), e);
    }
    Element root = doc.getDocumentElement();
    if (!"feedback".equals(root.getLocalName())) {
      throw new IllegalArgumentException("root element is not feedback: " + root.getLocalName());
    }
    Element meta = child(root, "report_metadata");
    Element range = child(meta, "date_range");
    ReportMetadata metadata =
        new ReportMetadata(
            text(meta, "org_name"),
            text(meta, "email"),
            optionalText(meta, "extra_contact_info"),
            text(meta, "report_id"),
            Long.parseLong(text(range, "begin")),
            Long.parseLong(text(range, "end")),
            optionalText(meta, "error"),
            optionalText(meta, "generator"));
    Element pp = child(root, "policy_published");
    PolicyPublished published =
        new PolicyPublished(
            text(pp, "domain"),
            text(pp, "p"),
            optionalText(pp, "sp"),
            optionalText(pp, "np"),
            optionalText(pp, "adkim").orElse("r"),
            optionalText(pp, "aspf").orElse("r"),
            optionalText(pp, "discovery_method").orElse("treewalk"),
            optionalText(pp, "fo").orElse("0"),
            optionalText(pp, "testing").orElse("n"),
            "u");
    List<CountedRow> records = new ArrayList<>();
    for (Element rec : children(root, "record")) {
      Element row = child(rec, "row");
      Element pe = child(row, "policy_evaluated");
      List<OverrideReason> reasons = new ArrayList<>();
      for (Element reason : children(pe, "reason")) {
        reasons.add(new OverrideReason(text(reason, "type"), optionalText(reason, "comment")));
      }
      Element ids = child(rec, "identifiers");
      Element auth = child(rec, "auth_results");
      List<DkimAuth> dkim = new ArrayList<>();
      for (Element d : children(auth, "dkim")) {
        dkim.add(new DkimAuth(text(d, "domain"), text(d, "selector"), text(d, "result")));
      }
      Optional<SpfAuth> spf =
          children(auth, "spf").stream()
              .findFirst()
              .map(
                  s ->
                      new SpfAuth(
                          text(s, "domain"),
                          optionalText(s, "scope").orElse("mfrom"),
                          text(s, "result")));
      ReportRow r =
          new ReportRow(
              text(row, "source_ip"),
              text(ids, "header_from"),
              optionalText(ids, "envelope_from"),
              optionalText(ids, "envelope_to"),
              new PolicyEvaluated(
                  text(pe, "disposition"), text(pe, "dkim"), text(pe, "spf"), reasons),
              spf,
              dkim);
      records.add(new CountedRow(r, Long.parseLong(text(row, "count"))));
    }
    return new AggregateReport(metadata, published, records);
  }

  /** Parses UTF-8 text. */
  public static AggregateReport parse(String xml) {
    return parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> list = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getLocalName())) {
        list.add(e);
      }
    }
    return list;
  }

  private static Element child(Element parent, String name) {
    List<Element> list = children(parent, name);
    if (list.size() != 1) {
      throw new IllegalArgumentException(
          parent.getLocalName() + " must hold exactly one " + name + ", found " + list.size());
    }
    return list.get(0);
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().strip();
  }

  private static Optional<String> optionalText(Element parent, String name) {
    List<Element> list = children(parent, name);
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0).getTextContent().strip());
  }
}
