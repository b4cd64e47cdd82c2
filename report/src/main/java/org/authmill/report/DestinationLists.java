package org.authmill.report;

import java.util.List;
import java.util.Locale;

/**
 * Allow and deny lists of report destinations. An entry is an address ({@code
 * reports@example.com}), a domain ({@code example.com}: that domain and every domain below it) or
 * {@code @example.com} (that domain only). A destination on the deny list never gets a report; when
 * the allow list is not empty, only destinations on it do.
 *
 * @param allow entries allowed (empty: all)
 * @param deny entries denied
 */
public record DestinationLists(List<String> allow, List<String> deny) {
  /** No lists: every verified destination gets its reports. */
  public static final DestinationLists NONE = new DestinationLists(List.of(), List.of());

  public DestinationLists {
    allow = allow.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
    deny = deny.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
  }

  /** Why a destination may not get reports, or null when it may. */
  String refusal(Destination d) {
    for (String entry : deny) {
      if (matches(entry, d)) {
        return "denied by " + entry;
      }
    }
    if (!allow.isEmpty() && allow.stream().noneMatch(e -> matches(e, d))) {
      return "not on the allow list";
    }
    return null;
  }

  private static boolean matches(String entry, Destination d) {
    String address = d.address().toLowerCase(Locale.ROOT);
    if (entry.startsWith("@")) {
      return d.host().equals(entry.substring(1));
    }
    if (entry.indexOf('@') > 0) {
      return address.equals(entry);
    }
    return d.within(entry);
  }
}
