package org.authmill.feedback;

import java.util.ArrayList;
import java.util.List;

/**
 * A small element tree for one top-level part of a report ({@code report_metadata}, {@code
 * policy_published}, one {@code record}), so that each part can be read by name whatever order or
 * namespace the reporter used. Names are local names in lower case.
 */
final class XmlNode {
  final String name;
  final StringBuilder text = new StringBuilder();
  final List<XmlNode> children = new ArrayList<>();

  XmlNode(String name) {
    this.name = name;
  }

  /** The first child of that name, or null. */
  XmlNode child(String childName) {
    for (XmlNode c : children) {
      if (c.name.equals(childName)) {
        return c;
      }
    }
    return null;
  }

  /** All children of that name. */
  List<XmlNode> all(String childName) {
    List<XmlNode> out = new ArrayList<>();
    for (XmlNode c : children) {
      if (c.name.equals(childName)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The trimmed text at a slash-separated path below this node, or the empty string. */
  String text(String path) {
    XmlNode node = this;
    for (String step : path.split("/")) {
      node = node.child(step);
      if (node == null) {
        return "";
      }
    }
    return node.text.toString().strip();
  }

  /** Like {@link #text} but lower case, for enumerated values. */
  String word(String path) {
    return text(path).toLowerCase(java.util.Locale.ROOT);
  }

  /** True when the path exists. */
  boolean has(String path) {
    XmlNode node = this;
    for (String step : path.split("/")) {
      node = node.child(step);
      if (node == null) {
        return false;
      }
    }
    return true;
  }
}
