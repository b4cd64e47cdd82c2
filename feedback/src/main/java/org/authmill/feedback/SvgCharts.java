package org.authmill.feedback;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The dashboard's charts, drawn on the server as inline SVG: no script, nothing to build. */
final class SvgCharts {
  static final String PASS = "#2e7d32";
  static final String FAIL = "#c62828";
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

  private SvgCharts() {}

  /** Stacked bars per day: DMARC pass below, fail above. Rows are {day, pass, fail}. */
  static String volume(List<long[]> days) {
    int width = 720;
    int height = 220;
    int left = 50;
    int bottom = 30;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"volume-chart\" width=\"%d\""
                + " height=\"%d\" role=\"img\" aria-label=\"messages per day by DMARC result\">",
            width,
            height));
    long max = 1;
    for (long[] d : days) {
      max = Math.max(max, d[1] + d[2]);
    }
    int plotH = height - bottom - 10;
    int plotW = width - left - 10;
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
                + "<text x=\"%d\" y=\"18\" font-size=\"11\" text-anchor=\"end\">%d</text>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>",
            left,
            left,
            height - bottom,
            left,
            height - bottom,
            width - 10,
            height - bottom,
            left - 4,
            max,
            left - 4,
            height - bottom));
    if (days.isEmpty()) {
      svg.append("<text x=\"60\" y=\"100\" font-size=\"13\">no reports</text></svg>");
      return svg.toString();
    }
    double slot = (double) plotW / days.size();
    double bar = Math.max(1, Math.min(40, slot * 0.8));
    int labelEvery = Math.max(1, (int) Math.ceil(days.size() / 8.0));
    for (int i = 0; i < days.size(); i++) {
      long[] d = days.get(i);
      double x = left + i * slot + (slot - bar) / 2;
      double passH = plotH * (double) d[1] / max;
      double failH = plotH * (double) d[2] / max;
      double base = height - bottom;
      String day = DAY.format(Instant.ofEpochSecond(d[0]));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"pass\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                  + " fill=\"%s\" data-day=\"%s\" data-messages=\"%d\"><title>%s: %d pass</title>"
                  + "</rect>",
              x,
              base - passH,
              bar,
              passH,
              PASS,
              day,
              d[1],
              day,
              d[1]));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"fail\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                  + " fill=\"%s\" data-day=\"%s\" data-messages=\"%d\"><title>%s: %d fail</title>"
                  + "</rect>",
              x,
              base - passH - failH,
              bar,
              failH,
              FAIL,
              day,
              d[2],
              day,
              d[2]));
      if (i % labelEvery == 0) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                x + bar / 2,
                height - bottom + 14,
                day));
      }
    }
    svg.append("</svg>");
    return svg.toString();
  }

  /** Horizontal bars, one per label, sized by share of the total. */
  static String bars(String id, String[] labels, long[] values, String[] colors) {
    int width = 520;
    int rowH = 26;
    long total = 0;
    for (long v : values) {
      total += v;
    }
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" width=\"%d\" height=\"%d\""
                + " role=\"img\">",
            id,
            width,
            rowH * labels.length + 4));
    for (int i = 0; i < labels.length; i++) {
      double share = total == 0 ? 0 : (double) values[i] / total;
      int y = i * rowH + 2;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>"
                  + "<rect x=\"170\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\""
                  + " data-messages=\"%d\"/>"
                  + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%d (%.1f%%)</text>",
              y + 14,
              Html.esc(labels[i]),
              y,
              250 * share,
              colors[i],
              values[i],
              175 + 250 * share,
              y + 14,
              values[i],
              100 * share));
    }
    svg.append("</svg>");
    return svg.toString();
  }
}
